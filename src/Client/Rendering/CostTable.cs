using System.Globalization;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Training;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>results SWEEP --cost</c>: a row per method × optimizer, what its cells cost per epoch (training and
/// evaluation) and in all, and per epoch against backprop's with the same optimizer (<see cref="RowCost"/>). The
/// terminal and Markdown tables show the same text.</summary>
internal static class CostTable
{
    private const string Versus = "× backprop";

    private static string[] Headers(bool versus) =>
        ["method", "optimizer", "cells", "cell-epochs", "train / epoch", .. versus ? [Versus] : Array.Empty<string>(), "eval / epoch", "time"];

    public static string Title(string sweep) =>
        $"cost of {sweep} per method × optimizer: seconds per cell, each pack's time shared among its cells; per epoch the " +
        "median over its cells' epochs (training pass, and evaluation where evaluated), time the sum of both";

    public static void Render(string sweep, IReadOnlyList<RowCost> rows, IAnsiConsole? console = null)
    {
        console ??= CliConsole.Out;
        FittedTable.Render(console, Title(sweep), Headers(HasVersus(rows)), Cells(rows), ["cell-epochs", "eval / epoch"], rightFrom: 2);
        console.WriteLine(Footer(rows));
    }

    public static IEnumerable<string> MarkdownLines(IReadOnlyList<RowCost> rows) =>
        FittedTable.MarkdownLines(Headers(HasVersus(rows)), Cells(rows), rightFrom: 2).Append("").Append(ResultsMarkdown.Escape(Footer(rows)) + ".");

    /// <summary>The whole sweep's time, and what the times are: each pack's own wall clock where and beside what it ran.</summary>
    public static string Footer(IReadOnlyList<RowCost> rows) =>
        $"all cells: {Total(rows.Sum(r => r.Seconds))} of training and evaluation; the times are each pack's wall clock on its " +
        "slot, beside whatever else ran there: rows compare where they ran under the same conditions" +
        (HasVersus(rows) ? $"; {Versus}: train / epoch over backprop's with the same optimizer" : "");

    private static bool HasVersus(IReadOnlyList<RowCost> rows) => rows.Any(r => r.VersusBackprop is not null);

    private static List<string[]> Cells(IReadOnlyList<RowCost> rows) =>
    [
        .. rows.Select(r => (string[])
        [
            r.Method, r.Optimizer, r.Cells.ToString(CultureInfo.InvariantCulture), r.CellEpochs.ToString(CultureInfo.InvariantCulture),
            Seconds(r.EpochSeconds),
            .. HasVersus(rows) ? [Ratio(r.VersusBackprop)] : Array.Empty<string>(),
            Seconds(r.EvaluationSeconds), r.CellEpochs == 0 ? "-" : Total(r.Seconds),
        ]),
    ];

    private static string Ratio(double? ratio) => ratio is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "-";

    /// <summary>"4.83 ms", "1.23 s", "123 s": three significant figures, in milliseconds below a second.</summary>
    internal static string Seconds(double? seconds) => seconds switch
    {
        null => "-",
        < 1 and var s => Units.Figures(1000 * s) + " ms",
        var s => Units.Figures(s.Value) + " s",
    };

    /// <summary>A total: "42.1 s", "12 min 05 s", "3 h 07 min".</summary>
    internal static string Total(double seconds)
    {
        if (seconds < 60) return Units.Figures(seconds) + " s";
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1
            ? $"{(long)t.TotalHours} h {t.Minutes:00} min"
            : $"{t.Minutes} min {t.Seconds:00} s";
    }

}
