using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Summaries;

/// <summary>How many cells share each cell's pack, from a sweep's status: a pack's stored epoch time is its whole
/// pass's, and each of its cells, trained in that one pass, is charged an even share. A cell the status does not list
/// counts as a pack of its own.</summary>
internal static class PackShares
{
    public static Func<string, int> Of(SweepStatus status)
    {
        var packOf = status.Cells.ToDictionary(c => c.CellId, c => c.PackId);
        var packSize = status.Cells.GroupBy(c => c.PackId).ToDictionary(g => g.Key, g => g.Count());
        return cellId => packOf.TryGetValue(cellId, out var pack) ? packSize[pack] : 1;
    }
}
