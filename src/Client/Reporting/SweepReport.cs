using System.Globalization;
using System.Text;
using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Reporting;

/// <summary>A figure of the report: its file, and the line under it that says what it shows.</summary>
internal sealed record ReportFigure(string File, string Caption, byte[] Png);

/// <summary>What a report is written from, all read before a line of it is written.</summary>
/// <param name="Missing">Figures not drawn, each with why ("no cosine was sampled").</param>
/// <param name="Source">Where the sweep was read: "the state directory X", "the cluster at Y".</param>
/// <param name="Budgets">The results as if the sweep had stopped at earlier epochs (<see cref="BudgetTable"/>); none for a
/// sweep still running or one that selects by its best epoch.</param>
/// <param name="Against">The comparison with another sweep (<c>report --against</c>), if one was asked for.</param>
internal sealed record ReportInput(
    SweepSpec Spec, SweepStatus Status, SweepResults Results, IReadOnlyList<CellSummary> Cells, int Window,
    IReadOnlyList<ReportFigure> Figures, IReadOnlyList<string> Missing, IReadOnlyList<CellCurve> Unreadable, string Source,
    DateTimeOffset Written, IReadOnlyList<(int Epoch, SweepResults Results)>? Budgets = null, SweepComparison? Against = null);

/// <summary>The report's README.md: the sweep in a paragraph, the results table, every rate's score, the figures, the
/// diagnostics where the spec sampled them, what went wrong, and the files beside it. The tables are the ones
/// <c>results --markdown</c>, <c>results --rates --markdown</c> and <c>diagnostics --markdown</c> print.</summary>
internal static class SweepReport
{
    public static string Markdown(ReportInput input)
    {
        var (spec, status, results) = (input.Spec, input.Status, input.Results);
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        void Lines(IEnumerable<string> lines) { foreach (var l in lines) Line(l); }
        void Figure(string file)
        {
            if (input.Figures.FirstOrDefault(f => f.File == file) is not { } figure) return;
            Line($"![{figure.Caption}]({figure.File})");
            Line();
            Line($"*{figure.Caption}.*");
            Line();
        }

        Line(ReportDirectory.Marker);
        Line($"# {spec.Name}");
        Line();
        Line(Sentence(ResultsMarkdown.Escape(SweepStatusView.Summary(status))));
        Line(Timing(status) + $" Written by `gradguess report` at {Utc(input.Written)} from {input.Source}.");
        Line();
        Line(Grid(spec) + " The spec is [spec.yaml](spec.yaml): `./gradguess local spec.yaml` trains the same cells again " +
             "(the same cell ids; `data.dir`, where set, names this machine's files).");
        if (status.Data is { } data) Line($"Data: {ResultsMarkdown.Escape(data.Source)} (digest `{data.Digest}`).");
        if (!status.IsFinished)
            Line("The sweep was still running: this is a snapshot, and the tables hold the cells that had ended. " +
                 $"`gradguess report {spec.Name} --out DIR` again writes a later one.");
        Line();

        Line("## Best learning rate per method × optimizer");
        Line();
        if (results.Rows.Count == 0) Line("No cell has ended yet.");
        else
        {
            Line(Sentence(ResultsTable.Title(results, ResultsTable.HasSpread(results))));
            Line();
            Lines(ResultsMarkdown.Lines(results));
            Line();
            Line("## Every learning rate");
            Line();
            Line(Sentence(RatesTable.Title(results, RatesTable.HasSpread(results))));
            Line();
            Lines(RatesTable.MarkdownLines(results));
            Line();
            Figure(ReportFigures.Rates);
            if (input.Budgets is { Count: > 0 } budgets)
            {
                Line("## The budget");
                Line();
                Line($"The best learning rate had the sweep stopped earlier (`results --at N`): {BudgetTable.MovedFromFirst(budgets, results)} of " +
                     $"{results.Rows.Count} rows pick another rate at epoch {budgets[0].Epoch} than at epoch {spec.Epochs}.");
                Line();
                Lines(BudgetTable.MarkdownLines(budgets, results, spec.Epochs));
                Line();
            }
        }

        if (input.Against is { } comparison)
        {
            Line($"## Against {ResultsMarkdown.Escape(comparison.B.Name)}");
            Line();
            Line(string.Join(" ", ComparisonTable.Heading(comparison).Select(l => Sentence(ResultsMarkdown.Escape(l)))));
            Line();
            Lines(ComparisonMarkdown.Lines(comparison));
            Line();
            Line(Sentence(ResultsMarkdown.Escape(RateComparisonTable.Heading(comparison).ElementAt(1))));
            Line();
            Lines(RateComparisonTable.MarkdownLines(comparison));
            Line();
            Figure(ReportFigures.Against);
        }

        Line("## Curves");
        Line();
        Figure(ReportFigures.Accuracy);
        Figure(ReportFigures.Loss);
        foreach (var missing in input.Missing) Line($"- {ResultsMarkdown.Escape(missing)}");
        if (input.Missing.Count > 0) Line();

        var diag = spec.DiagnosticsOrDefault;
        if (diag.CosineEvery > 0 || diag.EffectiveRank)
        {
            Line("## Diagnostics");
            Line();
            Line(Sentence(CellSummaryTable.Title(spec.Name, input.Window)));
            Line();
            Lines(CellSummaryTable.MarkdownLines(input.Cells));
            Line();
            Figure(ReportFigures.Cosine);
        }

        var problems = Problems(status, input.Unreadable).ToList();
        if (problems.Count > 0)
        {
            Line("## Problems");
            Line();
            Lines(problems.Select(p => "- " + ResultsMarkdown.Escape(p)));
            Line();
        }

        Line("## Files");
        Line();
        Line("| file | what it holds |");
        Line("|---|---|");
        Line("| README.md | this report |");
        Line("| spec.yaml | the sweep's spec, every field written out |");
        Line("| curves.csv | every cell's curve, a row per evaluated epoch (as `gradguess export --format csv` writes it) |");
        foreach (var figure in input.Figures) Line($"| {figure.File} | {ResultsMarkdown.Escape(figure.Caption)} |");
        return md.ToString();
    }

    /// <summary>"6 methods (backprop, wt, ...) × 3 optimizers (...) × 4 learning rates (1e-2 to 1e-5) × 1 seed = 72 cells:
    /// 100 epochs each at batch 512 on fashion-mnist, a 3 × 128 ReLU MLP."</summary>
    private static string Grid(SweepSpec spec)
    {
        static string Axis(int n, string what, IEnumerable<string> values) =>
            $"{n} {what}{(n == 1 ? "" : "s")} ({string.Join(", ", values)})";
        var model = spec.Model;
        return $"The grid: {Axis(spec.Methods.Count, "method", spec.Methods)} × {Axis(spec.Optimizers.Count, "optimizer", spec.Optimizers)} × " +
               $"{Axis(spec.LearningRates.Count, "learning rate", spec.LearningRates.Select(ResultsTable.Lr))} × " +
               $"{Axis(spec.Seeds.Count, "seed", spec.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))} = {spec.CellCount} cells: " +
               $"{spec.Epochs} epochs each at batch {spec.BatchSize} on {spec.Data.Set}, a {model.Depth} × {model.Width} ReLU MLP.";
    }

    /// <summary>"Submitted 2026-12-06 10:00 UTC, finished 10:24 UTC (about 24 min)." or "Submitted ...; running."</summary>
    private static string Timing(SweepStatus status)
    {
        var submitted = $"Submitted {Utc(status.CreatedAt)}";
        if (status.FinishedAt is not { } finished) return submitted + "; running" + TimeLeft.Suffix(status) + ".";
        return $"{submitted}, {status.State.Name()} {Utc(finished)} ({TimeLeft.Duration(finished - status.CreatedAt)}).";
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>The sweep's problem, each failed cell's error, and each cell whose stored curve could not be read.</summary>
    private static IEnumerable<string> Problems(SweepStatus status, IReadOnlyList<CellCurve> unreadable)
    {
        if (status.Problem is { } problem) yield return "the sweep: " + problem;
        foreach (var cell in status.Cells.Where(c => c.Error is not null))
            yield return $"{ProgressView.Describe(cell.Config)} ({cell.State.Name()}): {cell.Error}";
        foreach (var cell in unreadable)
            yield return $"cell {cell.CellId} is left out of the curves, the figures and curves.csv, and no budget table is read: {cell.Unreadable}";
    }

    /// <summary>A title line of the terminal tables as a sentence.</summary>
    private static string Sentence(string title) => char.ToUpperInvariant(title[0]) + title[1..] + ".";
}
