using GradGuessCluster.Client.Export;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>train --checkpoint FILE</c>: checked as an output file is (its directory exists and takes a new file),
/// resolved to its one canonical name (a link is followed, not replaced by the checkpoint), and held under that name, for
/// as long as the command runs, against a second train on the same file.</summary>
internal sealed class CheckpointOption : IDisposable
{
    private readonly CheckpointLock _lock;

    private CheckpointOption(string path, CheckpointLock held) => (Path, _lock) = (path, held);

    /// <summary>The file to read and write.</summary>
    public string Path { get; }

    public static CheckpointOption Claim(string path)
    {
        var file = OutFile.RegularFile("--checkpoint", path);
        // One that is there is read, then replaced after each epoch: refused now, before the data loads, where either
        // would fail (an unreadable one failed with exit 1 once the data had loaded; a read-only one was replaced).
        if (File.Exists(file))
        {
            if (UnixPath.WhyNotReadable(file) is { } unreadable) throw new UsageException($"--checkpoint {path}: cannot read it: {unreadable}");
            if (UnixPath.WhyNotWritable(file) is { } unwritable) throw new UsageException($"--checkpoint {path}: cannot write it: {unwritable}");
        }
        CheckpointLock? held;
        try { held = CheckpointLock.TryAcquire(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--checkpoint {path}: cannot take its lock file: {e.Message}");
        }
        if (held is null)
            throw new UsageException($"--checkpoint {path}: another gradguess train is using it; wait for that one to end, or give another file");
        // Holding the lock, this train alone writes the file: a temporary file beside it is a killed train's, never read.
        AtomicFile.RemoveLeftovers(file);
        return new CheckpointOption(file, held);
    }

    public void Dispose() => _lock.Dispose();
}
