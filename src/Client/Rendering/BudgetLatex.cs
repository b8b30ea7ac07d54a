using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>results --budget --latex</c>: how far the choice of learning rate depends on the budget, as a paper's table (the
/// content of <see cref="BudgetTable"/>): a booktabs tabular with a row per method × optimizer and per epoch read a group
/// of two columns, the rate picked had the sweep stopped there and its score in per cent; a rate the whole run does not
/// pick in bold.
/// </summary>
internal static class BudgetLatex
{
    public static IEnumerable<string> Lines(IReadOnlyList<(int Epoch, SweepResults Results)> budgets, SweepResults final, int epochs)
    {
        int[] columns = [.. budgets.Select(b => b.Epoch), epochs];
        var metric = ComparedMetric.IsTrain(final.Selection.Metric) ? "Train" : "Test";
        yield return $"% {BudgetTable.Title(final, epochs)}";
        // Three groups of columns beside the study's method names are already wider than an article's text.
        yield return LatexText.WrittenBy("results --budget --latex") + "; bold: a learning rate the whole run's ranking does not pick" +
                     (columns.Length >= 3 ? "; \\resizebox{\\textwidth}{!}{...} fits it to the page" : "");
        yield return $"\\begin{{tabular}}{{ll{string.Concat(columns.Select(_ => "rr"))}}}";
        yield return "\\toprule";
        yield return " & & " + string.Join(" & ", columns.Select(e => $"\\multicolumn{{2}}{{c}}{{Epoch {e}}}")) + " \\\\";
        yield return string.Join(" ", columns.Select((_, i) => $"\\cmidrule(lr){{{3 + 2 * i}-{4 + 2 * i}}}"));
        yield return "Method & Optimizer & " + string.Join(" & ", columns.Select(_ => $"LR & {metric}")) + " \\\\";
        yield return "\\midrule";
        foreach (var (row, name) in final.Rows.Zip(LatexText.GroupedMethodNames(final.Rows.Select(r => r.Method))))
            yield return $"{name} & {LatexText.OptimizerName(row.Optimizer)} & " + string.Join(" & ",
                budgets.Select(b => BudgetTable.Pick(b.Results, row)).Append(row).Select(pick => Cells(pick, final.Selection.Metric, row.BestLearningRate))) + " \\\\";
        yield return "\\bottomrule";
        yield return "\\end{tabular}";
    }

    /// <summary>A budget's two cells: the rate picked (bold where the whole run picks another) and its score.</summary>
    private static string Cells(ResultRow? pick, SelectionMetric metric, double? finalPick) =>
        pick?.BestLearningRate is not { } lr ? "-- & --"
            : $"{(lr == finalPick ? LatexText.Rate(lr) : LatexText.BoldRate(lr))} & " +
              (ComparedMetric.Accuracy(pick, metric) is { } score ? LatexText.Percent(score) : "--");
}
