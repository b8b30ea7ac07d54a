using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>compare A B --rates --latex</c>: both sweeps' score at every learning rate as a paper's table, a booktabs tabular
/// with a line per method × optimizer × rate (as <see cref="RateComparisonTable"/>), A, B and B − A in per cent and points,
/// each side's chosen rate in bold; a rate one grid lacks is a dash, one without a score says why. Which sweep is A and
/// which B, the rule and how their specs differ are said in LaTeX comments, for the author's caption.
/// </summary>
internal static class RateComparisonLatex
{
    /// <summary>About what a page of an article holds: a longer table is told how to break across pages.</summary>
    private const int PageOfLines = 40;

    public static IEnumerable<string> Lines(SweepComparison c)
    {
        var groups = c.Rows.Zip(LatexText.GroupedMethodNames(c.Rows.Select(r => r.Method)))
            .Select(g => (Pair: g.First, Name: g.Second, Rates: ComparedRates.Of(g.First).ToList())).Where(g => g.Rates.Count > 0).ToList();
        int count = groups.Sum(g => g.Rates.Count);
        yield return $"% A = {c.A.Name} ({c.A.State.Name()}), B = {c.B.Name} ({c.B.State.Name()}): {ResultsTable.Rule(c.Selection)} at each " +
                     "learning rate per method × optimizer, mean over seeds; Δ = B − A in points where both scored";
        foreach (var line in LatexText.SpecComments(c)) yield return line;
        var pool = c.Pool;
        yield return LatexText.WrittenBy("compare --rates --latex") + "; bold: each sweep's chosen learning rate; --: a rate its grid lacks" +
                     (pool is null ? "" : $"; Pooled: the mean over A's {Units.Count(pool.A, "seed")} and B's {pool.B} where both scored, ± the sample standard " +
                                            "deviation of all their scores, the row's best in bold") +
                     (count > PageOfLines ? $"; {count} lines: longtable (\\usepackage{{longtable}}) in place of tabular breaks it across pages" : "");
        yield return pool is null ? "\\begin{tabular}{llrrrr}" : "\\begin{tabular}{llrrrrr}";
        yield return "\\toprule";
        yield return $" & & & \\multicolumn{{3}}{{c}}{{{(ComparedMetric.IsTrain(c.Selection.Metric) ? "Train" : "Test")} (\\%)}}{(pool is null ? "" : " &")} \\\\";
        yield return "\\cmidrule(lr){4-6}";
        yield return "Method & Optimizer & LR & A & B & $\\Delta$" + (pool is null ? "" : " & Pooled") + " \\\\";
        yield return "\\midrule";
        foreach (var ((pair, name, rates), g) in groups.Select((group, g) => (group, g)))
        {
            // A little space between method × optimizer groups, so that each reads as one response.
            if (g > 0) yield return "\\addlinespace";
            var pooled = pool?.Row(pair, rates.Select(r => r.LearningRate));
            foreach (var ((lr, a, b), i) in rates.Select((rate, i) => (rate, i)))
            {
                IEnumerable<string> cells = [i == 0 ? name : "", i == 0 ? LatexText.OptimizerName(pair.Optimizer) : "", LatexText.Rate(lr),
                    LatexText.Score(a, lr == pair.A?.BestLearningRate, spread: false), LatexText.Score(b, lr == pair.B?.BestLearningRate, spread: false),
                    a?.Score is { } x && b?.Score is { } y ? LatexText.Points(y - x) : ""];
                if (pooled is not null)
                    cells = cells.Append(pooled[i] is ({ } score, var best) ? LatexText.Score(score, best) : "");
                yield return string.Join(" & ", cells) + " \\\\";
            }
        }
        yield return "\\bottomrule";
        yield return "\\end{tabular}";
    }
}
