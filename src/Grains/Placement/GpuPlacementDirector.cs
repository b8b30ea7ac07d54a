using GradGuessCluster.Grains.Interfaces;
using Orleans.Runtime.Placement;

namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// Chooses the silo for a new training-grain activation: the <see cref="IGpuLedgerGrain"/> reserves a slot on the
/// compatible silo with the most free slots, preferring, on a CPU slot, silos whose memory has room for the pack
/// (<see cref="PlacementHints"/>). Idempotent per grain (Orleans retries placement). Thread-safe: stateless.
/// </summary>
public sealed class GpuPlacementDirector(IGrainFactory grainFactory) : IPlacementDirector
{
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var candidates = context.GetCompatibleSilos(target);
        var ledger = grainFactory.GetGrain<IGpuLedgerGrain>(0);
        var bytes = PlacementHints.CpuBytesOf(target.RequestContextData);
        var chosen = PlacementHints.IsMoving(target.RequestContextData)
            ? await ledger.ChooseAsync(candidates, bytes)
            : await ledger.ReserveAsync(target.GrainIdentity, candidates, bytes);
        return chosen ?? throw new NoTrainingSlotException($"no free training slot for {target.GrainIdentity}");
    }
}
