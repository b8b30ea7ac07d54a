using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>The order the tables people read list a sweep's cells in: rows (method × optimizer) as the grid first lists
/// them, within a row the learning rates largest first (the study's order, and <c>results --rates</c>' columns), then the
/// seeds. The grid's own order puts a row's <c>rowRates</c> and the rates an extension added after its other rates, so a
/// refined row read 1e-2, 1e-3, 1e-4, 1e-1, 3e-2; sorted it reads as one scale. JSON and CSV keep the grid's order.</summary>
internal static class ReadingOrder
{
    public static IReadOnlyList<CellStatus> Of(IReadOnlyList<CellStatus> cells) => Of(cells, c => c.Config);

    public static IReadOnlyList<T> Of<T>(IReadOnlyList<T> cells, Func<T, CellConfig> config)
    {
        var rows = new Dictionary<(string, string), int>();
        foreach (var c in cells.Select(config)) rows.TryAdd((c.Method, c.Optimizer), rows.Count);
        return cells.OrderBy(c => rows[(config(c).Method, config(c).Optimizer)])
            .ThenByDescending(c => config(c).LearningRate).ThenBy(c => config(c).Seed).ToList();
    }
}
