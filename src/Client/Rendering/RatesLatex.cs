using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>results --rates --latex</c>: every learning rate's score as a paper's appendix table, a booktabs tabular with a row
/// per method × optimizer and a column per rate (as <see cref="RatesTable"/>), the score in per cent, the chosen rate's
/// in bold; a rate without a score says why, a rate the row does not train is a dash.
/// </summary>
internal static class RatesLatex
{
    public static IEnumerable<string> Lines(SweepResults results)
    {
        var columns = RatesTable.Columns(results);
        yield return $"% {RatesTable.Title(results, RatesTable.HasSpread(results))}";
        yield return LatexText.WrittenBy("results --rates --latex") + "; bold: the learning rate chosen" +
                     (columns.Length > 8 ? $"; {columns.Length} rates: \\resizebox{{\\textwidth}}{{!}}{{...}} fits it to the page" : "");
        yield return $"\\begin{{tabular}}{{ll{new string('r', columns.Length)}}}";
        yield return "\\toprule";
        yield return "Method & Optimizer & " + string.Join(" & ", columns.Select(LatexText.Rate)) + " \\\\";
        yield return "\\midrule";
        foreach (var (row, name) in results.Rows.Zip(LatexText.GroupedMethodNames(results.Rows.Select(x => x.Method))))
            yield return $"{name} & {LatexText.OptimizerName(row.Optimizer)} & " +
                         string.Join(" & ", RatesTable.Aligned(row, columns).Select(rate => LatexText.Score(rate, rate?.LearningRate == row.BestLearningRate))) + " \\\\";
        yield return "\\bottomrule";
        yield return "\\end{tabular}";
    }
}
