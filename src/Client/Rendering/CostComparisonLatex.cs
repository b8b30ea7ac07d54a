using System.Globalization;
using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>compare A B --cost --latex</c>: what B's change cost beside what it bought, as a paper's table (the content
/// of <see cref="CostComparisonTable"/>): a booktabs tabular with a row per method × optimizer, each sweep's median
/// training milliseconds per cell-epoch and B's over A's, each side's whole time in seconds, and B − A of the selection
/// metric in points. Which sweep is A and which B and how their specs differ are LaTeX comments, for the caption; so is
/// what the times depend on.</summary>
internal static class CostComparisonLatex
{
    public static IEnumerable<string> Lines(SweepComparison c, IReadOnlyList<ComparedCost> rows)
    {
        yield return $"% A = {c.A.Name} ({c.A.State.Name()}), B = {c.B.Name} ({c.B.State.Name()}): training milliseconds per cell-epoch " +
                     "(median) and seconds in all per method × optimizer, each pack's time shared among its cells; " +
                     $"Δ = B − A of {ResultsTable.Rule(c.Selection)} at each side's best rate, in points";
        foreach (var line in LatexText.SpecComments(c)) yield return line;
        yield return LatexText.WrittenBy("compare --cost --latex") + "; --: a row one sweep lacks or has not trained yet; say in the " +
                     "caption on what machines, with how many threads and beside what each sweep's packs trained";
        yield return "\\begin{tabular}{llrrrrrr}";
        yield return "\\toprule";
        yield return " & & \\multicolumn{3}{c}{Train / epoch (ms)} & \\multicolumn{2}{c}{Time (s)} & \\\\";
        yield return "\\cmidrule(lr){3-5} \\cmidrule(lr){6-7}";
        yield return "Method & Optimizer & A & B & B / A & A & B & $\\Delta$ \\\\";
        yield return "\\midrule";
        foreach (var (r, name) in rows.Zip(LatexText.GroupedMethodNames(rows.Select(x => x.Method))))
            yield return string.Join(" & ",
                name, LatexText.OptimizerName(r.Optimizer), CostLatex.Milliseconds(r.A?.EpochSeconds), CostLatex.Milliseconds(r.B?.EpochSeconds),
                r.EpochRatio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "--",
                CostLatex.Total(r.A), CostLatex.Total(r.B), LatexText.Points(r.Delta)) + " \\\\";
        yield return "\\bottomrule";
        yield return "\\end{tabular}";
    }
}
