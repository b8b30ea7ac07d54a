using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Training;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>compare A B --rates</c>: both sweeps' score at every learning rate, a line per method × optimizer × rate, and
/// B − A where both scored: whether a change helps at every rate or only moves the best one. Each side's chosen rate is
/// in brackets; a rate one sweep's grid lacks is "-", one without a score says why, as <c>results --rates</c> does.
/// </summary>
internal static class RateComparisonTable
{
    /// <summary>With <see cref="SweepComparison.Pool"/> (a confirmation), two last columns: each rate's mean over both
    /// sweeps' seeds where both scored it, the best of the row's in brackets, and those seeds' spread.</summary>
    private static string[] Headers(SweepComparison c) =>
        ["method", "optimizer", "lr", "A", "B", "Δ", .. c.Pool is null ? Array.Empty<string>() : ["pooled", Spread]];

    private const string Spread = "±";

    public static void Render(SweepComparison comparison, IAnsiConsole? console = null)
    {
        console ??= CliConsole.Out;
        FittedTable.Render(console, string.Join(Environment.NewLine, Heading(comparison)), Headers(comparison), Rows(comparison), [Spread], rightFrom: 2);
        console.WriteLine(Legend(comparison));
    }

    public static IEnumerable<string> Heading(SweepComparison comparison) =>
        ComparisonTable.Heading(comparison, $"{ResultsTable.Rule(comparison.Selection)} at each learning rate per method × optimizer, mean over seeds");

    public static IEnumerable<string> MarkdownLines(SweepComparison comparison) =>
        FittedTable.MarkdownLines(Headers(comparison), Rows(comparison), rightFrom: 2).Append("").Append(ResultsMarkdown.Escape(Legend(comparison)) + ".");

    private static string Legend(SweepComparison c) =>
        "[ ]: each sweep's chosen learning rate; -: a rate its grid lacks; Δ: B − A in points where both scored" +
        (c.Pool is { } pool ? $"; pooled: the mean over A's {Units.Count(pool.A, "seed")} and B's {pool.B} where both scored " +
                              "(the sweeps differ only in seeds and rates), the row's best in brackets; ±: the sample standard deviation " +
                              "of all those seeds' scores, in points (a pooled lead within it is a near-tie)" : "");

    /// <summary>Per method × optimizer (A's order, then B's own), both grids' rates in order of size; the method and
    /// optimizer written on a group's first line only.</summary>
    private static List<string[]> Rows(SweepComparison comparison)
    {
        var rows = new List<string[]>();
        foreach (var pair in comparison.Rows)
        {
            bool first = true;
            var rates = ComparedRates.Of(pair).ToList();
            var pooled = comparison.Pool?.Row(pair, rates.Select(r => r.LearningRate)) ?? [.. rates.Select(_ => ((RateScore?)null, false))];
            foreach (var ((lr, ra, rb), (pool, best)) in rates.Zip(pooled))
            {
                string[] row = [first ? pair.Method : "", first ? pair.Optimizer : "", ResultsTable.Lr(lr), Cell(ra, pair.A), Cell(rb, pair.B), Delta(ra, rb)];
                rows.Add(comparison.Pool is null ? row : [.. row, Pooled(pool, best), pool?.ScoreStd is { } s ? "±" + ResultsTable.InPoints(s) : ""]);
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

    private static string Pooled(RateScore? pooled, bool best) =>
        pooled is null ? "" : best ? $"[{ResultsTable.Percent(pooled.Score)}]" : ResultsTable.Percent(pooled.Score);

    private static string Delta(RateScore? a, RateScore? b) =>
        a?.Score is { } x && b?.Score is { } y ? (y >= x ? "+" : "") + ResultsTable.InPoints(y - x) : "";
}
