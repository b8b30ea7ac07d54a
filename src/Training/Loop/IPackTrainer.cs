namespace GradGuessCluster.Training.Loop;

/// <summary>
/// A pack being trained, one epoch at a time. Not thread-safe: one caller drives it (a grain's loop or the CLI).
/// </summary>
public interface IPackTrainer : IDisposable
{
    PackSpec Spec { get; }

    /// <summary>Epochs finished so far (0 for a fresh pack; the checkpoint's epoch after a resume).</summary>
    int EpochsCompleted { get; }

    /// <summary>The <see cref="Data.DataDigest"/> of the data it trains on; null when it reads none (a stand-in trainer)
    /// or its data was built in code.</summary>
    string? DataDigest { get; }

    /// <summary>After a resume: the numerics its checkpoint was written under, where they differ from this process's (see
    /// <see cref="Runtime.NumericsPath"/>); null otherwise, and for a checkpoint that does not record them.</summary>
    Runtime.NumericsChange? NumericsChange { get; }

    /// <summary>True when every cell has either run all epochs or diverged.</summary>
    bool IsFinished { get; }

    /// <summary>
    /// Trains one epoch and evaluates when due. Returns one entry per cell, in <see cref="PackSpec.Cells"/> order;
    /// the entry is null for a cell that diverged in an earlier epoch (nothing more is reported of it; its non-finite
    /// weights are still stepped with the pack, which keeps every cell's own arithmetic and guess stream as it was).
    /// </summary>
    /// <param name="rollBack">Whether a cancelled epoch returns the pack to the epoch's start, at the cost of a copy of
    /// its weights and optimizer state held through the epoch. Without it a cancelled epoch leaves the trainer spent: it
    /// can only be disposed. For a caller that keeps nothing of a cancelled pack, or whose epoch start is already in a
    /// checkpoint: the epoch then holds no second copy of the pack.</param>
    IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken, bool rollBack = true);

    /// <summary>Writes model, optimizer state, RNG state and data position atomically (temp file + rename) with a checksum.</summary>
    void SaveCheckpoint(string path);
}
