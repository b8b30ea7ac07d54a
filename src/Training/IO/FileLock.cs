using System.Runtime.InteropServices;

namespace GradGuessCluster.Training.IO;

/// <summary>
/// An exclusive flock(2) of a file, held until disposed or until the process ends, however it ends. Taken here, not left
/// to .NET's FileShare.None: that lock is best effort (DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1 turns it off, and a file
/// system without flock opens unlocked), and a lock that silently does not hold lets two processes write one state.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _file;

    private FileLock(FileStream file) => _file = file;

    /// <summary>Locks <paramref name="path"/> (created when missing): the lock, or null where another process holds it.</summary>
    /// <exception cref="IOException">The file cannot be created or opened (.NET's own exceptions, UnauthorizedAccessException
    /// too), or cannot be locked: <see cref="FileLockException"/>, which says whether its file system takes no lock.</exception>
    public static FileLock? TryAcquire(string path)
    {
        FileStream file;
        try
        {
            // .NET's own lock stays (it refuses here what ours would); ours decides.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        // A file that exists and still cannot be opened is held: a missing directory, a bad name or a read-only volume
        // fails as one of IOException's subtypes, or on a lock file that is not there.
        catch (IOException e) when (e.GetType() == typeof(IOException) && File.Exists(path))
        {
            return null;
        }
        int error = Lock(file);
        if (error == 0) return new FileLock(file);
        file.Dispose();
        if (error == WouldBlock) return null;
        bool noLocks = error is NoLocks or NotSupported;
        throw new FileLockException(path, (noLocks ? "its file system takes no lock" : "cannot be locked") + $" ({Marshal.GetPInvokeErrorMessage(error)})", noLocks);
    }

    /// <summary>Whether another process holds <paramref name="path"/>'s lock now (taken and let go at once where none
    /// does); false where the file is missing.</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path)) return false;
        using var probe = TryAcquire(path);
        return probe is null;
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

/// <summary>A lock file that cannot be locked; <see cref="NoLocks"/>: its file system takes no flock at all.</summary>
public sealed class FileLockException(string path, string problem, bool noLocks, Exception? inner = null)
    : IOException($"{path}: {problem}", inner)
{
    public bool NoLocks { get; } = noLocks;
}
