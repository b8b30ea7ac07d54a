using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Client.Cluster;

/// <summary>A stored sweep's spec with the specs it had before it, which its packs were formed from (a sweep that grew
/// packs each generation's cells apart): what <c>plan --extend</c> and <c>local</c>'s warnings plan from.</summary>
internal static class StoredSweep
{
    /// <summary>The stored spec and the specs before it, oldest first (null if it never grew; from its registry entry);
    /// null when no sweep of that name is stored.</summary>
    public static async Task<(SweepSpec Spec, List<SweepSpec>? Earlier)?> ReadAsync(ISweepSource source, string sweep, CancellationToken ct)
    {
        if (await source.GetSpecAsync(sweep, ct) is not { } stored) return null;
        var growth = (await source.ListAsync(ct)).FirstOrDefault(s => s.Name == sweep)?.Growth;
        return (stored, SweepGrowth.Before(growth, stored));
    }
}
