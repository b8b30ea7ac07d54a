namespace GradGuessCluster.Grains.Cells;

/// <summary>Where a sweep's checkpoints live under the checkpoint directory: one directory per sweep, one file per pack
/// (plus the records it could not get stored, <see cref="UnstoredRecords"/>). Sweep and pack names are checked by
/// TrainingCellKeys and SweepNames, so neither can leave the directory.</summary>
public static class CheckpointFiles
{
    public const string Extension = ".ckpt";

    public static string SweepDirectory(string root, string sweep) => Path.Combine(root, sweep);

    /// <summary><c>PACK.INCARNATION.ckpt</c>: a pack of a deleted sweep that was still stopping when the delete came may
    /// write its checkpoint afterwards, and a new sweep of that name must not resume from it. (<c>PACK.ckpt</c> for a
    /// sweep from before incarnations.)</summary>
    public static string PackPath(string root, string sweep, string packId, string? incarnation) =>
        Path.Combine(SweepDirectory(root, sweep), packId + (incarnation is null ? "" : "." + incarnation) + Extension);

    /// <summary>Removes this pack's files of other incarnations (best effort: they are never read, only in the way).
    /// Returns how many went.</summary>
    public static int RemoveOtherIncarnations(string root, string sweep, string packId, string? incarnation)
    {
        var directory = SweepDirectory(root, sweep);
        if (!Directory.Exists(directory)) return 0;
        var current = PackPath(root, sweep, packId, incarnation);
        var keep = new HashSet<string>([current, UnstoredRecords.PathFor(current)], StringComparer.Ordinal);
        var removed = 0;
        // Pack ids are hex hashes (no dots), so "PACK." matches this pack's files only, never a longer id's.
        foreach (var file in Directory.EnumerateFiles(directory, packId + ".*").Where(f => !keep.Contains(f)).ToList())
        {
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }
}
