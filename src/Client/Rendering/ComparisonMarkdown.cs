using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>compare --markdown</c>: both metrics of both sweeps, with their spread over seeds, and the deltas, as a
/// GitHub-flavoured Markdown table with the footnotes the marks need, and how clearly each sweep chose where their best
/// learning rates differ.</summary>
internal static class ComparisonMarkdown
{
    public static IEnumerable<string> Lines(SweepComparison c)
    {
        yield return "| method | optimizer | LR A | LR B | train A | train B | Δ train | test A | test B | Δ test |";
        yield return "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|";
        bool train = ComparedMetric.IsTrain(c.Selection.Metric);
        foreach (var r in c.Rows)
        {
            string Mark(bool selected) => selected && r.WithinSpread ? " ≈" : "";
            var cells = new[]
            {
                r.Method, r.Optimizer, ResultsTable.LrCell(r.A), ResultsTable.LrCell(r.B),
                ResultsTable.WithSpread(r.A?.TrainAccuracy, r.A?.TrainAccuracyStd), ResultsTable.WithSpread(r.B?.TrainAccuracy, r.B?.TrainAccuracyStd),
                ComparisonTable.Points(r.TrainDelta) + Mark(train),
                ResultsTable.WithSpread(r.A?.TestAccuracy, r.A?.TestAccuracyStd), ResultsTable.WithSpread(r.B?.TestAccuracy, r.B?.TestAccuracyStd),
                ComparisonTable.Points(r.TestDelta) + Mark(!train),
            };
            yield return "| " + string.Join(" | ", cells.Select(ResultsMarkdown.Escape)) + " |";
        }
        var moved = c.Rows.Select(r => (r, Text: ComparisonTable.LearningRatesDiffer(r))).Where(m => m.Text is not null).ToList();
        if (moved.Count > 0) yield return "";
        foreach (var (r, text) in moved) yield return ResultsMarkdown.Escape($"- {r.Method} {r.Optimizer}: {text}");
        var footnotes = ComparisonTable.Footnotes(c).ToList();
        if (footnotes.Count > 0) yield return "";
        foreach (var f in footnotes) yield return ResultsMarkdown.Escape(f) + "  ";   // two spaces: a line break
    }
}
