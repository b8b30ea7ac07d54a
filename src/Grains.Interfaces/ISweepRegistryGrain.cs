using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces;

/// <summary>The list of every sweep and whether it is finished (a singleton, key 0): how a restarted silo finds the
/// unfinished sweeps, and what <c>gradguess status</c> lists.</summary>
[Alias("gg.ISweepRegistryGrain")]
public interface ISweepRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Lists the sweep with this state, or moves it to this state; nothing is written when it already is.
    /// Coordinators send their current state (never a remembered one), so the last call wins with the truth.</summary>
    [Alias("Record")]
    Task RecordAsync(string name, DateTimeOffset createdAt, SweepState state);

    /// <summary>Every sweep, by name.</summary>
    [Alias("List")]
    Task<IReadOnlyList<SweepSummary>> ListAsync();
}
