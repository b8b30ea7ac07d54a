using GradGuessCluster.Grains.Interfaces;
using Orleans.Runtime.Placement;

namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// Chooses the silo for a new training-grain activation: the <see cref="IGpuLedgerGrain"/> reserves a slot on the
/// compatible silo with the most free slots, preferring silos whose memory has room for what the pack holds there
/// (<see cref="PlacementHints"/>). Idempotent per grain (Orleans retries placement). For a training grain moving after a
/// refused start it only chooses, reserving nothing, and where no silo has a slot it answers the grain's own silo, which
/// Orleans takes as "no move": the grain is deactivated as before (a throw would be logged as an error each time).
/// The refusal's message leaves the grain out: whoever catches it names the pack (status's waiting line, the log).
/// Thread-safe: stateless.
/// </summary>
public sealed class GpuPlacementDirector(IGrainFactory grainFactory) : IPlacementDirector
{
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var candidates = context.GetCompatibleSilos(target);
        var ledger = grainFactory.GetGrain<IGpuLedgerGrain>(0);
        var bytes = PlacementHints.HostBytesOf(target.RequestContextData);
        if (PlacementHints.IsMoving(target.RequestContextData))
            return await ledger.ChooseAsync(candidates, bytes.Cpu, bytes.Gpu) ?? context.LocalSilo;
        var chosen = await ledger.ReserveAsync(target.GrainIdentity, candidates, bytes.Cpu, bytes.Gpu);
        return chosen ?? throw new NoTrainingSlotException("no free training slot on any silo that can train it");
    }
}
