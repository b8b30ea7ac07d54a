using System.Globalization;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>gradguess diagnostics</c>' table, a row per cell in <see cref="ReadingOrder"/>: where it ended, its cosine with the true
/// gradient over its first and last epochs (mean and rms, and the optimizer's step's: see <see cref="CellSummary"/>), and
/// its input layer's effective rank then and the other matrices' at the end. The terminal and Markdown tables show the
/// same text; <c>--json</c> has every matrix at both ends.</summary>
internal static class CellSummaryTable
{
    private static readonly string[] Headers =
        ["method", "optimizer", "lr", "seed", "epoch", "train acc", "test acc", "cosine", "rms cosine", "step cosine", "rank W0", "other ranks"];

    /// <summary>What the columns read, for the line above the table.</summary>
    public static string Title(string sweep, int window) =>
        $"diagnostics of {sweep} per cell: cosine with the true gradient, " +
        (window == 1 ? "at epoch 1 → at its last" : $"mean of epochs 1–{window} → of its last {window}") +
        ", the rms cosine (mean projection on it over RMS length: what AdamW sees) and the optimizer's step's cosine with " +
        "the descent direction, over the same epochs; " +
        "effective rank of W0 (the input layer's weights) at its first → last evaluated epoch, of the other weight matrices at the last";

    /// <summary>The columns a narrow terminal leaves out, first to last, while the table is wider than it: the other
    /// matrices' ranks, then the step's and the rms cosine (the mean cosine, the accuracies and W0's rank stay).</summary>
    private static readonly string[] LeftOutFirst = ["other ranks", "step cosine", "rms cosine"];

    /// <summary>Writes the title line and the table to stdout (or <paramref name="console"/>), fitted to the terminal
    /// (<see cref="FittedTable"/>: <see cref="LeftOutFirst"/> go first).</summary>
    public static void Render(string sweep, IReadOnlyList<CellSummary> cells, int window, IAnsiConsole? console = null) =>
        FittedTable.Render(console ?? CliConsole.Out, Title(sweep, window), Headers, Cells(cells).ToList(), LeftOutFirst, rightFrom: 2);

    public static IEnumerable<string> MarkdownLines(IReadOnlyList<CellSummary> cells) => FittedTable.MarkdownLines(Headers, Cells(cells), rightFrom: 2);

    /// <summary>Each cell's row as both tables write it: its state beside its epoch unless it completed; "-" where there is
    /// nothing to show.</summary>
    internal static IEnumerable<string[]> Cells(IReadOnlyList<CellSummary> cells) =>
        ReadingOrder.Of(cells, c => new CellConfig(c.Method, c.Optimizer, c.LearningRate, c.Seed)).Select(c => new[]
    {
        c.Method, c.Optimizer, ResultsTable.Lr(c.LearningRate), c.Seed.ToString(CultureInfo.InvariantCulture),
        c.Epoch.ToString(CultureInfo.InvariantCulture) + (c.State == CellState.Completed ? "" : " " + c.State.Name()),
        ResultsTable.Percent(c.TrainAccuracy), ResultsTable.Percent(c.TestAccuracy),
        Change(c.CosineFirst, c.CosineLast, "0.000"),
        Change(c.RmsCosineFirst, c.RmsCosineLast, "0.000"),
        Change(c.StepCosineFirst, c.StepCosineLast, "0.000"),
        Change(c.RankFirst?[0], c.RankLast?[0], "0.0"),
        c.RankLast is { Length: > 1 } last ? string.Join(", ", last.Skip(1).Select(r => Number(r, "0.0"))) : "-",
    });

    internal static string Change(double? first, double? last, string format) =>
        first is null && last is null ? "-" : $"{Number(first, format)} → {Number(last, format)}";

    internal static string Number(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
