using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>The registry of sweeps (<see cref="ISweepRegistryGrain"/>).</summary>
[GrainType("gg-registry")]
public sealed class SweepRegistryGrain(
    [PersistentState("registry", GradGuessSiloOptions.StorageName)] IPersistentState<SweepRegistryState> state)
    : Grain, ISweepRegistryGrain
{
    public async Task SyncAsync(string name)
    {
        SweepNames.EnsureValid(name);
        var now = await GrainFactory.GetGrain<ISweepCoordinatorGrain>(name).GetSummaryAsync();
        var listed = state.State.Sweeps.GetValueOrDefault(name);
        if (listed == now) return;
        if (now is null) state.State.Sweeps.Remove(name);   // deleted
        else state.State.Sweeps[name] = now;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SweepSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<SweepSummary>>(state.State.Sweeps.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray());
}
