namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>What a training grain tells its coordinator as its pack is about to train.</summary>
/// <param name="Silo">The silo it trains on.</param>
/// <param name="FromEpoch">The epoch it goes on from: its checkpoint's, or 0 without one.</param>
/// <param name="Checkpoint">Where that silo looks for the pack's checkpoint.</param>
/// <param name="Data">The data it read; null for a trainer that reads none.</param>
/// <param name="Run">The run starting (<see cref="PackProgress.Run"/>).</param>
/// <param name="Numerics">Set when it resumes under other numerics than its checkpoint was written under.</param>
[GenerateSerializer, Immutable, Alias("gg.PackStart")]
public sealed record PackStart(
    [property: Id(0)] string Silo,
    [property: Id(1)] int FromEpoch,
    [property: Id(2)] string Checkpoint,
    [property: Id(3)] DataRead? Data,
    [property: Id(4)] string? Run = null,
    [property: Id(5)] ResumedNumerics? Numerics = null);
