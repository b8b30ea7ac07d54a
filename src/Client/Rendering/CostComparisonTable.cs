using System.Globalization;
using GradGuessCluster.Client.Comparison;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>compare A B --cost</c>: per method × optimizer each sweep's training seconds per cell-epoch and whole time
/// (<see cref="CostTable"/>'s figures), B's over A's, and B − A of the selection metric: what B's change cost beside
/// what it bought.</summary>
internal static class CostComparisonTable
{
    private static readonly string[] Headers = ["method", "optimizer", "A / epoch", "B / epoch", "B ÷ A", "A time", "B time", "Δ"];

    public static IEnumerable<string> Heading(SweepComparison comparison) =>
        ComparisonTable.Heading(comparison, "training seconds per cell-epoch (median) and in all per method × optimizer, each pack's time " +
                                            $"shared among its cells; Δ: B − A of {ResultsTable.Rule(comparison.Selection)} at each side's best rate");

    public static void Render(SweepComparison comparison, IReadOnlyList<ComparedCost> rows, IAnsiConsole? console = null)
    {
        console ??= CliConsole.Out;
        FittedTable.Render(console, string.Join(Environment.NewLine, Heading(comparison)), Headers, Cells(rows), ["A time", "B time"], rightFrom: 2);
        console.WriteLine(Legend);
    }

    public static IEnumerable<string> MarkdownLines(IReadOnlyList<ComparedCost> rows) =>
        FittedTable.MarkdownLines(Headers, Cells(rows), rightFrom: 2).Append("").Append(ResultsMarkdown.Escape(Legend) + ".");

    private const string Legend = "B ÷ A: B's seconds per cell-epoch over A's; -: a row one sweep lacks, or has not trained yet; the times are " +
                                  "each pack's wall clock beside whatever else ran, so a ratio compares hardware or settings only where the rest was alike";

    private static List<string[]> Cells(IReadOnlyList<ComparedCost> rows) =>
    [
        .. rows.Select(r => new[]
        {
            r.Method, r.Optimizer, CostTable.Seconds(r.A?.EpochSeconds), CostTable.Seconds(r.B?.EpochSeconds),
            r.EpochRatio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "-",
            r.A is { CellEpochs: > 0 } a ? CostTable.Total(a.Seconds) : "-", r.B is { CellEpochs: > 0 } b ? CostTable.Total(b.Seconds) : "-",
            r.Delta is { } d ? (d >= 0 ? "+" : "") + ResultsTable.InPoints(d) : "",
        }),
    ];
}
