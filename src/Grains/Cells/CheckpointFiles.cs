using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.IO;

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

    /// <summary>PACK of a <see cref="PackPath"/> <c>PACK.INCARNATION.ckpt</c> (or <c>PACK.ckpt</c>).</summary>
    public static string PackIdOf(string checkpoint) => Path.GetFileName(checkpoint).Split('.')[0];

    /// <summary>INCARNATION of a <see cref="PackPath"/> <c>PACK.INCARNATION.ckpt</c>; null for <c>PACK.ckpt</c>, a sweep's
    /// from before incarnations (pack ids are hex, without dots, as incarnations are).</summary>
    public static string? IncarnationOf(string checkpoint)
    {
        var name = Path.GetFileNameWithoutExtension(checkpoint);
        int dot = name.IndexOf('.');
        return dot < 0 ? null : name[(dot + 1)..];
    }

    /// <summary><paramref name="checkpoint"/> when anything is there (a link that cannot be followed too: reading it says
    /// why), null when nothing is. Where that cannot be told (EACCES on its directory, EIO, a stale network handle) it is a
    /// <see cref="CheckpointUnreadableException"/>, not "none": the pack would train again from epoch 0, and its first
    /// checkpoint would replace the sound one once the volume is back.</summary>
    public static string? Existing(string checkpoint)
    {
        try
        {
            File.GetAttributes(checkpoint);
            return checkpoint;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CheckpointUnreadableException(checkpoint, e); }
    }

    /// <summary>Removes this pack's checkpoint of <paramref name="incarnation"/> and the records saved beside it, and the
    /// sweep's directory once empty (best effort). Returns how many files went.</summary>
    public static int RemovePack(string root, string sweep, string packId, string? incarnation)
    {
        var checkpoint = PackPath(root, sweep, packId, incarnation);
        var removed = new[] { checkpoint, UnstoredRecords.PathFor(checkpoint) }.Count(TryDelete);
        try { Directory.Delete(SweepDirectory(root, sweep)); }   // not recursive: only when nothing else is in it
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return removed;
    }

    /// <summary>Removes this pack's files of other incarnations (best effort: they are never read, only in the way).
    /// Returns how many went.</summary>
    public static int RemoveOtherIncarnations(string root, string sweep, string packId, string? incarnation)
    {
        var directory = SweepDirectory(root, sweep);
        if (!Directory.Exists(directory)) return 0;
        var current = PackPath(root, sweep, packId, incarnation);
        var keep = new HashSet<string>([current, UnstoredRecords.PathFor(current)], StringComparer.Ordinal);
        // Pack ids are hex hashes (no dots), so "PACK." matches this pack's files only, never a longer id's.
        return Directory.EnumerateFiles(directory, packId + ".*").Where(f => !keep.Contains(f)).ToList().Count(TryDelete);
    }

    /// <summary>Removes what writes of this pack's checkpoint and records left behind when their silo was killed
    /// mid-write (each as large as the checkpoint). By age, as the file storage's own: a pack's old activation on a silo
    /// that hung may still be writing. Returns how many went.</summary>
    public static int RemoveLeftoverWrites(string root, string sweep, string packId, string? incarnation)
    {
        var checkpoint = PackPath(root, sweep, packId, incarnation);
        var before = DateTime.UtcNow - FileGrainStorage.StaleTempFileAge;
        return AtomicFile.RemoveLeftovers(checkpoint, before) + AtomicFile.RemoveLeftovers(UnstoredRecords.PathFor(checkpoint), before);
    }

    private static bool TryDelete(string file) => File.Exists(file) && BestEffort.Delete(file);   // counted only where there
}
