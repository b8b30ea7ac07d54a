using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Checkpoints;

/// <summary>
/// One trainer per checkpoint file: two <c>gradguess train --checkpoint F</c> at once would each train the same epochs
/// and write F in turn, and the one that stops last may leave F older than the other's. The lock is an exclusive
/// flock(2) of a hidden file beside F (".F.lock"), so it ends with the process however it ends. The file stays: deleting
/// it on release could let two later trainers lock two different files of one name.
/// </summary>
public sealed class CheckpointLock : IDisposable
{
    private readonly FileLock _lock;

    private CheckpointLock(FileLock held) => _lock = held;

    /// <summary>The lock file of <paramref name="checkpoint"/>.</summary>
    public static string LockPath(string checkpoint) => UnixPath.HiddenSibling(Path.GetFullPath(checkpoint), "lock");

    /// <summary>Takes the lock of <paramref name="checkpoint"/>, or returns null where another holds it.</summary>
    /// <exception cref="IOException">The lock file cannot be created, or its file system takes no lock (the message
    /// names it).</exception>
    public static CheckpointLock? TryAcquire(string checkpoint)
    {
        try { return FileLock.TryAcquire(LockPath(checkpoint)) is { } held ? new CheckpointLock(held) : null; }
        catch (FileLockException e) when (e.NoLocks)
        {
            throw new IOException($"{e.Message}; put the checkpoint on a local file system", e);
        }
    }

    public void Dispose() => _lock.Dispose();
}
