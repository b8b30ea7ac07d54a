namespace GradGuessCluster.Grains.Cells;

/// <summary>Where a sweep's checkpoints live under the checkpoint directory: one directory per sweep, one file per pack
/// (plus the records it could not get stored, <see cref="UnstoredRecords"/>). Sweep and pack names are checked by
/// TrainingCellKeys and SweepNames, so neither can leave the directory.</summary>
public static class CheckpointFiles
{
    public static string SweepDirectory(string root, string sweep) => Path.Combine(root, sweep);

    public static string PackPath(string root, string sweep, string packId) => Path.Combine(SweepDirectory(root, sweep), packId + ".ckpt");
}
