using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>compare A B --latex</c>: two sweeps side by side as a paper's table, a booktabs tabular with a row per method ×
/// optimizer: each sweep's best learning rate, and per accuracy A, B and the change B − A in points (marked
/// <c>$^\approx$</c> where the seeds' spread could reverse it). Which sweep is A and which B, the rule and how their
/// specs differ are said in LaTeX comments, for the author's caption.
/// </summary>
internal static class ComparisonLatex
{
    public static IEnumerable<string> Lines(SweepComparison c)
    {
        yield return $"% A = {c.A.Name} ({c.A.State.Name()}), B = {c.B.Name} ({c.B.State.Name()}): best learning rate per method × optimizer by " +
                     $"{ResultsTable.Rule(c.Selection)}, mean over seeds; Δ = B − A in points";
        foreach (var line in LatexText.SpecComments(c)) yield return line;
        yield return LatexText.WrittenBy("compare --latex");
        yield return "\\begin{tabular}{llrrrrrrrr}";
        yield return "\\toprule";
        yield return " & & \\multicolumn{2}{c}{LR} & \\multicolumn{3}{c}{Train (\\%)} & \\multicolumn{3}{c}{Test (\\%)} \\\\";
        yield return "\\cmidrule(lr){3-4} \\cmidrule(lr){5-7} \\cmidrule(lr){8-10}";
        yield return "Method & Optimizer & A & B & A & B & $\\Delta$ & A & B & $\\Delta$ \\\\";
        yield return "\\midrule";
        bool train = ComparedMetric.IsTrain(c.Selection.Metric);
        foreach (var (r, name) in c.Rows.Zip(LatexText.GroupedMethodNames(c.Rows.Select(x => x.Method))))
        {
            string Mark(bool selected) => selected && r.WithinSpread ? "$^\\approx$" : "";
            yield return string.Join(" & ",
                name, LatexText.OptimizerName(r.Optimizer), Rate(r.A), Rate(r.B),
                Percent(r.A?.TrainAccuracy), Percent(r.B?.TrainAccuracy), LatexText.Points(r.TrainDelta) + Mark(train),
                Percent(r.A?.TestAccuracy), Percent(r.B?.TestAccuracy), LatexText.Points(r.TestDelta) + Mark(!train)) + " \\\\";
        }
        yield return "\\bottomrule";
        yield return "\\end{tabular}";
        if (c.Rows.Any(r => r.WithinSpread))
            yield return "% $^\\approx$: within the seeds' spread, sqrt(s_A^2 + s_B^2): another pair of seeds could reverse it";
    }

    private static string Rate(ResultRow? row) => row?.BestLearningRate is { } lr ? LatexText.Rate(lr) : "--";

    private static string Percent(double? accuracy) => accuracy is { } a ? LatexText.Percent(a) : "--";
}
