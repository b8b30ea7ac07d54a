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
    public async Task RecordAsync(string name, DateTimeOffset createdAt, SweepState sweepState)
    {
        SweepNames.EnsureValid(name);
        if (state.State.Sweeps.TryGetValue(name, out var summary) && summary.State == sweepState) return;
        state.State.Sweeps[name] = summary is null ? new SweepSummary(name, sweepState, createdAt) : summary with { State = sweepState };
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SweepSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<SweepSummary>>(state.State.Sweeps.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray());
}
