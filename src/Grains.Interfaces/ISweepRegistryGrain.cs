using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces;

/// <summary>The list of every sweep and whether it is finished (a singleton, key 0): how a restarted silo finds the
/// unfinished sweeps, and what <c>gradguess status</c> lists.</summary>
[Alias("gg.ISweepRegistryGrain")]
public interface ISweepRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Reads the sweep's state from its coordinator and lists it so, or unlists it when the coordinator has no
    /// sweep (it was deleted); nothing is written when unchanged.
    /// Pulled, not pushed: two updates racing cannot leave an older state last, as the one handled last reads the
    /// newest. Coordinators call it after each change of their state.</summary>
    [Alias("Sync")]
    Task SyncAsync(string name);

    /// <summary>Every sweep, by name.</summary>
    [Alias("List")]
    Task<IReadOnlyList<SweepSummary>> ListAsync();
}
