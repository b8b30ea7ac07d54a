using System.Globalization;
using GradGuessCluster.Client.Summaries;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>gradguess diagnostics --layers</c>' table: for each cell in grid order a row per linear layer (input layer
/// first) with its cosines and shares (<see cref="LayerSummary"/>), then an "all" row with the cell's overall cosines
/// and the step's overlap Σ_l √(a_l·b_l), each figure over its first and its last window. A cell's method, optimizer,
/// learning rate and seed head its first row only.</summary>
internal static class LayerSummaryTable
{
    private static readonly string[] Headers =
        ["method", "optimizer", "lr", "seed", "layer", "cosine", "step cosine", "gradient share", "step share", "overlap"];

    /// <summary>The columns a narrow terminal leaves out, first to last (the cosines stay).</summary>
    private static readonly string[] LeftOutFirst = ["overlap", "step share", "gradient share"];

    public static string Title(string sweep, int window) =>
        $"diagnostics of {sweep} per cell and linear layer (0: the input layer; all: the whole network), " +
        (window == 1 ? "at epoch 1 → at its last" : $"mean of epochs 1–{window} → of its last {window}") +
        ": the guess's and the optimizer's step's cosine with the true gradient inside the layer, the layer's share of the " +
        "true gradient's and of the step's squared norm, and the overlap Σ √(gradient share · step share), the most the " +
        "step's cosine could be were it aligned inside every layer";

    public static void Render(string sweep, IReadOnlyList<CellSummary> cells, int window, IAnsiConsole? console = null) =>
        FittedTable.Render(console ?? CliConsole.Out, Title(sweep, window), Headers, Rows(cells).ToList(), LeftOutFirst, rightFrom: 2);

    public static IEnumerable<string> MarkdownLines(IReadOnlyList<CellSummary> cells) => FittedTable.MarkdownLines(Headers, Rows(cells), rightFrom: 2);

    internal static IEnumerable<string[]> Rows(IReadOnlyList<CellSummary> cells)
    {
        foreach (var c in cells.Where(c => c.Layers.Count > 0))
        {
            string[] cell = [c.Method, c.Optimizer, ResultsTable.Lr(c.LearningRate), c.Seed.ToString(CultureInfo.InvariantCulture)];
            foreach (var l in c.Layers)
                yield return [.. l.Layer == 0 ? cell : ["", "", "", ""], l.Layer.ToString(CultureInfo.InvariantCulture),
                    Cosine(l.CosineFirst, l.CosineLast), Cosine(l.StepCosineFirst, l.StepCosineLast),
                    Share(l.GradientShareFirst, l.GradientShareLast), Share(l.StepShareFirst, l.StepShareLast), ""];
            yield return ["", "", "", "", "all", Cosine(c.CosineFirst, c.CosineLast), Cosine(c.StepCosineFirst, c.StepCosineLast), "", "",
                Share(c.StepOverlapFirst, c.StepOverlapLast)];
        }
    }

    private static string Cosine(double? first, double? last) => CellSummaryTable.Change(first, last, "0.000");

    private static string Share(double? first, double? last) => CellSummaryTable.Change(first, last, "0.00");
}
