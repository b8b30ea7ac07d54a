using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// What one cell-epoch of each pack costs, in matmul FLOPs (its training pass, and its share of the run's evaluations
/// and cosine samples), so that the time left weighs the packs still to come by their cost: a study grid trains its
/// backprop packs first, and an epoch of activation mixing takes about twice one of backprop (docs/STUDY.md, "Choosing
/// the learning rate over a window"). Counted from the spec and the data's shape, nothing loaded; kept per pack, whose id
/// hashes everything its cost depends on.
/// </summary>
internal sealed class PackCost
{
    private readonly Dictionary<string, double?> _perCellEpoch = new();

    /// <summary>FLOPs per cell-epoch of <paramref name="pack"/>; null where they cannot be told here (a data set whose
    /// shape this silo cannot read).</summary>
    public double? PerCellEpoch(SweepSpec spec, GridPack pack)
    {
        if (_perCellEpoch.TryGetValue(pack.PackId, out var known)) return known;
        double? cost;
        try
        {
            var workload = PackMemory.Workload(pack.ToWork(spec, null));
            cost = workload.TotalFlops / ((double)spec.Epochs * pack.Cells.Count);
        }
        catch (Exception)
        {
            cost = null;   // advisory only: a cost that cannot be told must not fail the report that asked for it
        }
        return _perCellEpoch[pack.PackId] = cost is > 0 ? cost : null;
    }

    /// <summary>The work its cells have left: each unfinished cell's epochs to go at its pack's cost (a completed or
    /// diverged cell has none, as <see cref="SweepStatus.EpochsDone"/> counts them); null where a pack's cost is unknown.</summary>
    public double? Left(SweepSpec spec, IReadOnlyDictionary<string, GridPack> packs, IEnumerable<CellStatus> cells)
    {
        double left = 0;
        foreach (var cell in cells)
        {
            if (cell.State is CellState.Completed or CellState.Diverged) continue;
            if (PerCellEpoch(spec, packs[cell.PackId]) is not { } cost) return null;
            left += Math.Max(0, cell.Epochs - cell.Epoch) * cost;
        }
        return left;
    }
}
