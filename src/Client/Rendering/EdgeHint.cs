using GradGuessCluster.Client.Refinement;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// Where a best learning rate sits at the grid's edge, the rate one grid step past it, for the results table's footnote
/// to name: <c>to look past the edge: add 1e-1 (backprop sgd, wt sgd) to those rows (rowRates) and run the spec with
/// --extend</c>. One step is the ratio between the edge rate and its neighbour, so a grid of decades suggests the next
/// decade and a grid of halvings the next halving.
/// </summary>
internal static class EdgeHint
{
    /// <summary>The footnote's second sentence, or null where no row's rates tell a step (a grid of one rate, rows of
    /// silos of a build before per-rate scores).</summary>
    public static string? For(SweepResults results)
    {
        var groups = results.Rows
            .Select(r => (Row: r, Next: Next(r)))
            .Where(s => s.Next is not null)
            .GroupBy(s => s.Next!.Value)
            .ToList();
        if (groups.Count == 0) return null;
        const string Run = "and run the spec with --extend";
        // Every row past the same edge: the grid's next rate, which refine puts in learningRates.
        if (groups is [var all] && all.Count() == results.Rows.Count)
            return $"to look past the edge: add {ResultsTable.Lr(all.Key)} to learningRates {Run} (refine {results.Name} writes that spec)";
        // Many rows, each past its own edge (a confirmation's two rates a row): a line of them all would not be read.
        if (groups.Count > GrowthText.MaxRowsNamed)
            return $"to look past the edge: refine {results.Name} writes the spec with the rate past each of those {groups.Sum(g => g.Count())} rows' edges (rowRates); run it with --extend";
        var suggested = groups.Select(g => $"{ResultsTable.Lr(g.Key)} ({string.Join(", ", g.Select(s => $"{s.Row.Method} {s.Row.Optimizer}"))})");
        return $"to look past the edge: add {string.Join(" or ", suggested)} to those rows (rowRates) {Run} (refine {results.Name} writes that spec)";
    }

    /// <summary>The rate one step beyond a row's edge winner (as <c>refine</c> adds it); null inside the grid, with one
    /// rate, or past float32.</summary>
    public static double? Next(ResultRow row) =>
        !row.AtGridEdge || row.BestLearningRate is not { } best || row.Rates is not { Count: >= 2 } rates ? null
            : GridRefinement.PastEdge([.. rates.Select(r => r.LearningRate)], best);
}
