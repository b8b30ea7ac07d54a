using System.Runtime.InteropServices;
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
    private readonly FileStream _file;

    private CheckpointLock(FileStream file) => _file = file;

    /// <summary>The lock file of <paramref name="checkpoint"/>.</summary>
    public static string LockPath(string checkpoint) => UnixPath.HiddenSibling(Path.GetFullPath(checkpoint), "lock");

    /// <summary>Takes the lock of <paramref name="checkpoint"/>, or returns null where another holds it.</summary>
    /// <exception cref="IOException">The lock file cannot be created, or its file system takes no lock (the message
    /// names it).</exception>
    public static CheckpointLock? TryAcquire(string checkpoint)
    {
        var path = LockPath(checkpoint);
        FileStream file;
        try
        {
            // .NET's own flock for FileShare.None is best effort: DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1 turns it off, and
            // a file system without flock opens unlocked. It stays (it refuses here what ours would), and ours decides.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        // A file that exists and still cannot be opened is held: a missing directory, a bad name or a read-only volume
        // fails as one of IOException's subtypes, or on a lock file that is not there.
        catch (IOException e) when (e.GetType() == typeof(IOException) && File.Exists(path))
        {
            return null;
        }
        int error = Lock(file);
        if (error == 0) return new CheckpointLock(file);
        file.Dispose();
        if (error == WouldBlock) return null;
        throw new IOException(error is NoLocks or NotSupported
            ? $"{path}: its file system takes no lock ({Marshal.GetPInvokeErrorMessage(error)}); put the checkpoint on a local file system"
            : $"{path}: cannot be locked ({Marshal.GetPInvokeErrorMessage(error)})");
    }

    public void Dispose() => _file.Dispose();

    // Linux's errno values (the same on x64 and arm64).
    private const int Interrupted = 4, WouldBlock = 11, NoLocks = 37, NotSupported = 95;

    /// <summary>flock(LOCK_EX | LOCK_NB) on the file's descriptor: 0, or the errno. Again on the same descriptor (where
    /// .NET took it) it succeeds.</summary>
    private static int Lock(FileStream file)
    {
        const int exclusive = 2, nonBlocking = 4;
        int fd = (int)file.SafeFileHandle.DangerousGetHandle();
        while (true)
        {
            if (Flock(fd, exclusive | nonBlocking) == 0) return 0;
            if (Marshal.GetLastPInvokeError() is var error and not Interrupted) return error;
        }
    }

    // DllImport, not LibraryImport: the analyzer tests compile this library's sources without source generators.
    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int fd, int operation);
}
