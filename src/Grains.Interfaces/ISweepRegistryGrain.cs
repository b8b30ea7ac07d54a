using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces;

/// <summary>The list of every sweep and whether it is finished (a singleton, key 0): how a restarted silo finds the
/// unfinished sweeps, and what <c>gradguess status</c> lists.</summary>
[Alias("gg.ISweepRegistryGrain")]
public interface ISweepRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task RegisterAsync(string name, DateTimeOffset createdAt);

    [Alias("SetState")]
    Task SetStateAsync(string name, SweepState state);

    /// <summary>Every sweep, by name.</summary>
    [Alias("List")]
    Task<IReadOnlyList<SweepSummary>> ListAsync();
}
