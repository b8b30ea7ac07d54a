using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Checkpoints;

/// <summary>
/// One trainer per checkpoint file: two <c>gradguess train --checkpoint F</c> at once would each train the same epochs
/// and write F in turn, and the one that stops last may leave F older than the other's. The lock is an exclusive open
/// of a hidden file beside F (".F.lock"; .NET takes an advisory flock for <see cref="FileShare.None"/>), so it ends
/// with the process however it ends. The file stays: deleting it on release could let two later trainers lock two
/// different files of one name.
/// </summary>
public sealed class CheckpointLock : IDisposable
{
    private readonly FileStream _file;

    private CheckpointLock(FileStream file) => _file = file;

    /// <summary>The lock file of <paramref name="checkpoint"/>.</summary>
    public static string LockPath(string checkpoint) => UnixPath.HiddenSibling(Path.GetFullPath(checkpoint), "lock");

    /// <summary>Takes the lock of <paramref name="checkpoint"/>, or returns null where another holds it.</summary>
    /// <exception cref="IOException">The lock file cannot be created (the message names it).</exception>
    public static CheckpointLock? TryAcquire(string checkpoint)
    {
        var path = LockPath(checkpoint);
        try
        {
            return new CheckpointLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        // A file that exists and still cannot be opened is held: a missing directory, a bad name or a read-only volume
        // fails as one of IOException's subtypes, or on a lock file that is not there.
        catch (IOException e) when (e.GetType() == typeof(IOException) && File.Exists(path))
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
