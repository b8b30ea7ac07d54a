namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>What a delete did, or why it did nothing.</summary>
public enum SweepDeletionOutcome
{
    /// <summary>The sweep's ledger, curves, pack states and checkpoints are gone; its name is free again.</summary>
    Deleted,

    /// <summary>No sweep has this name.</summary>
    NotFound,

    /// <summary>The sweep is running: cancel it first, so that no pack writes while its files go.</summary>
    Running,

    /// <summary>Cancelled, but some packs have not yet stopped (they stop at an epoch boundary): try again shortly.</summary>
    Stopping,
}

/// <summary>The answer to a delete: the outcome and, when deleted, what went.</summary>
[GenerateSerializer, Immutable, Alias("gg.SweepDeletion")]
public sealed record SweepDeletion(
    [property: Id(0)] SweepDeletionOutcome Outcome,
    [property: Id(1)] int Cells = 0,
    [property: Id(2)] int CurveChunks = 0,
    [property: Id(3)] int CheckpointFiles = 0);
