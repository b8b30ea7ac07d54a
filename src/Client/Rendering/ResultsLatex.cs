using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>results --latex</c>: the results as a paper's table, shaped as the study's: a row per method, a group of columns per
/// optimizer (best learning rate, train and test accuracy in per cent), booktabs rules. A tabular only, so that it goes
/// into the author's own table environment and caption; what a caption needs (the rule, the seeds, a winner at the
/// grid's edge, rows without a pick) is said in LaTeX comments above and below it.
/// </summary>
internal static class ResultsLatex
{
    public static IEnumerable<string> Lines(SweepResults results)
    {
        var methods = results.Rows.Select(r => r.Method).Distinct().ToList();
        var optimizers = results.Rows.Select(r => r.Optimizer).Distinct().ToList();
        var rows = results.Rows.ToDictionary(r => (r.Method, r.Optimizer));

        yield return $"% {ResultsTable.Title(results, ResultsTable.HasSpread(results))}";
        yield return LatexText.WrittenBy("results --latex");
        yield return $"\\begin{{tabular}}{{l{string.Concat(optimizers.Select(_ => "rrr"))}}}";
        yield return "\\toprule";
        yield return " & " + string.Join(" & ", optimizers.Select(o => $"\\multicolumn{{3}}{{c}}{{{LatexText.OptimizerName(o)}}}")) + " \\\\";
        yield return string.Join(" ", optimizers.Select((_, i) => $"\\cmidrule(lr){{{2 + 3 * i}-{4 + 3 * i}}}"));
        yield return "Method & " + string.Join(" & ", optimizers.Select(_ => "LR & Train & Test")) + " \\\\";
        yield return "\\midrule";
        foreach (var method in methods)
            yield return LatexText.MethodName(method) + " & " + string.Join(" & ", optimizers.Select(o => Cells(rows.GetValueOrDefault((method, o))))) + " \\\\";
        yield return "\\bottomrule";
        yield return "\\end{tabular}";
        if (results.Rows.Any(r => r.AtGridEdge))
            yield return "% $^*$: the best learning rate is at the edge of the grid, so the optimum may lie outside it";
        foreach (var row in results.Rows.Where(r => r.BestLearningRate is null || r.TrainAccuracy is null))
            yield return $"% {row.Method} × {row.Optimizer}: {row.Note ?? "no pick yet"}";
    }

    /// <summary>A row's three cells: "$10^{-3}$ &amp; 91.2 &amp; 88.0", or dashes where it has no pick.</summary>
    private static string Cells(ResultRow? row) =>
        row?.BestLearningRate is not { } lr || row.TrainAccuracy is not { } train
            ? "-- & -- & --"
            : $"{LatexText.Rate(lr)}{(row.AtGridEdge ? "$^*$" : "")} & {LatexText.Percent(train, row.TrainAccuracyStd)} & {(row.TestAccuracy is { } test ? LatexText.Percent(test, row.TestAccuracyStd) : "--")}";
}
