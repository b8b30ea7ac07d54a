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
    public async Task RegisterAsync(string name, DateTimeOffset createdAt)
    {
        SweepNames.EnsureValid(name);
        if (state.State.Sweeps.ContainsKey(name)) return;
        state.State.Sweeps[name] = new SweepSummary(name, SweepState.Running, createdAt);
        await state.WriteStateAsync();
    }

    public async Task SetStateAsync(string name, SweepState sweepState)
    {
        if (!state.State.Sweeps.TryGetValue(name, out var summary) || summary.State == sweepState) return;
        state.State.Sweeps[name] = summary with { State = sweepState };
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SweepSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<SweepSummary>>(state.State.Sweeps.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray());
}
