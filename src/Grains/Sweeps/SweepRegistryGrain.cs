using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>The registry of sweeps (<see cref="ISweepRegistryGrain"/>).</summary>
[GrainType(GrainTypeName)]
public sealed class SweepRegistryGrain(
    [PersistentState("registry", GradGuessSiloOptions.StorageName)] IPersistentState<SweepRegistryState> state)
    : Grain, ISweepRegistryGrain
{
    public const string GrainTypeName = "gg-registry";

    public async Task SyncAsync(string name)
    {
        SweepNames.EnsureValid(name);
        var now = await GrainFactory.GetGrain<ISweepCoordinatorGrain>(name).GetSummaryAsync();
        var listed = state.State.Sweeps.GetValueOrDefault(name);
        if (listed == now) return;
        if (now is null) state.State.Sweeps.Remove(name);   // deleted
        else state.State.Sweeps[name] = now;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Back as stored: left changed in memory, the next sync (a resubmit, the watchdog's) would find nothing to
            // write, and a restarted silo would not know of the sweep.
            if (listed is null) state.State.Sweeps.Remove(name);
            else state.State.Sweeps[name] = listed;
            // A conflict (another activation wrote, or a retried write's first try landed): take the stored registry.
            if (e is InconsistentStateException) await state.ReadStateAsync();
            throw;
        }
    }

    public Task<IReadOnlyList<SweepSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<SweepSummary>>(state.State.Sweeps.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray());
}
