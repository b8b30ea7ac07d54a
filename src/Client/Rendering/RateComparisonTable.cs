using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>compare A B --rates</c>: both sweeps' score at every learning rate, a line per method × optimizer × rate, and
/// B − A where both scored: whether a change helps at every rate or only moves the best one. Each side's chosen rate is
/// in brackets; a rate one sweep's grid lacks is "-", one without a score says why, as <c>results --rates</c> does.
/// </summary>
internal static class RateComparisonTable
{
    private static readonly string[] Headers = ["method", "optimizer", "lr", "A", "B", "Δ"];

    public static void Render(SweepComparison comparison, IAnsiConsole? console = null)
    {
        console ??= CliConsole.Out;
        FittedTable.Render(console, string.Join(Environment.NewLine, Heading(comparison)), Headers, Rows(comparison), [], rightFrom: 2);
        console.WriteLine(Legend);
    }

    public static IEnumerable<string> Heading(SweepComparison comparison) =>
        ComparisonTable.Heading(comparison, $"{ResultsTable.Rule(comparison.Selection)} at each learning rate per method × optimizer, mean over seeds");

    public static IEnumerable<string> MarkdownLines(SweepComparison comparison) =>
        FittedTable.MarkdownLines(Headers, Rows(comparison), rightFrom: 2).Append("").Append(ResultsMarkdown.Escape(Legend) + ".");

    private const string Legend = "[ ]: each sweep's chosen learning rate; -: a rate its grid lacks; Δ: B − A in points where both scored";

    /// <summary>Per method × optimizer (A's order, then B's own), both grids' rates in order of size; the method and
    /// optimizer written on a group's first line only.</summary>
    private static List<string[]> Rows(SweepComparison comparison)
    {
        var rows = new List<string[]>();
        foreach (var pair in comparison.Rows)
        {
            bool first = true;
            foreach (var (lr, ra, rb) in ComparedRates.Of(pair))
            {
                rows.Add([first ? pair.Method : "", first ? pair.Optimizer : "", ResultsTable.Lr(lr), Cell(ra, pair.A), Cell(rb, pair.B), Delta(ra, rb)]);
                first = false;
            }
        }
        return rows;
    }

    private static string Cell(RateScore? rate, ResultRow? row)
    {
        if (rate is null) return "-";
        var text = RatesTable.Cell(rate, spread: false);
        return rate.LearningRate == row?.BestLearningRate ? $"[{text}]" : text;
    }

    private static string Delta(RateScore? a, RateScore? b) =>
        a?.Score is { } x && b?.Score is { } y ? (y >= x ? "+" : "") + ResultsTable.InPoints(y - x) : "";
}
