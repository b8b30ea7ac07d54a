using System.Globalization;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>results --cost --latex</c>: what each method × optimizer cost, as a paper's table (the content of
/// <see cref="CostTable"/>): a booktabs tabular with a row per method × optimizer, the medians per cell-epoch in
/// milliseconds, the ratio to backprop's with the same optimizer where the sweep trains it, and the row's whole time
/// in seconds. The machine, the threads and what ran beside the packs belong in the caption: a comment says so.</summary>
internal static class CostLatex
{
    public static IEnumerable<string> Lines(string sweep, IReadOnlyList<RowCost> rows)
    {
        bool versus = rows.Any(r => r.VersusBackprop is not null);
        yield return $"% {CostTable.Title(sweep)}";
        yield return LatexText.WrittenBy("results --cost --latex") + "; -- where a row has trained nothing yet; say in the caption on " +
                     "what machine, with how many threads and beside what the packs trained";
        yield return versus ? "\\begin{tabular}{llrrrr}" : "\\begin{tabular}{llrrr}";
        yield return "\\toprule";
        yield return "Method & Optimizer & Train / epoch (ms)" + (versus ? " & $\\times$ backprop" : "") + " & Eval / epoch (ms) & Time (s) \\\\";
        yield return "\\midrule";
        foreach (var (row, name) in rows.Zip(LatexText.GroupedMethodNames(rows.Select(r => r.Method))))
        {
            IEnumerable<string> cells = [name, LatexText.OptimizerName(row.Optimizer), Milliseconds(row.EpochSeconds)];
            if (versus) cells = cells.Append(row.VersusBackprop is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "--");
            cells = cells.Append(Milliseconds(row.EvaluationSeconds)).Append(Total(row));
            yield return string.Join(" & ", cells) + " \\\\";
        }
        yield return "\\bottomrule";
        yield return "\\end{tabular}";
    }

    /// <summary>Seconds as milliseconds to three figures; "--" for none.</summary>
    public static string Milliseconds(double? seconds) => seconds is { } s ? Units.Figures(1000 * s) : "--";

    /// <summary>A row's whole time in seconds to three figures; "--" for a row that has trained nothing (or is not there).</summary>
    public static string Total(RowCost? row) => row is { CellEpochs: > 0 } r ? Units.Figures(r.Seconds) : "--";
}
