namespace GradGuessCluster.Grains.Sweeps;

/// <summary>What a coordinator activation last heard from a running pack (in memory only).</summary>
internal sealed record RunningPack(DateTimeOffset LastHeard, string? Silo, string? Device);
