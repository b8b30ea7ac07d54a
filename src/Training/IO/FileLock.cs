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
        // .NET's lock refused: held. Any other error (a read-only volume, EIO) is the caller's to report.
        catch (IOException e) when (HeldByOther(e))
        {
            return null;
        }
        return Locked(file, path) ? new FileLock(file) : null;
    }

    /// <summary>Whether another process holds <paramref name="path"/>'s lock now (a shared lock taken and let go at once
    /// where none does); false where the file is missing.</summary>
    /// <remarks>Shared, so that two readers probing at once do not take each other for a holder. The probe opens the file
    /// for writing where it may (NFS locks what it may write), or read-only: flock needs no write access, so a reader of
    /// a state directory it may not write (another user's, a read-only snapshot) still tells a held lock from a free one.</remarks>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path)) return false;
        FileStream file;
        // FileShare.ReadWrite: .NET's own lock is a shared one too.
        try { file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite); }
        catch (IOException e) when (HeldByOther(e)) { return true; }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            try { file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); }
            catch (IOException again) when (HeldByOther(again)) { return true; }
        }
        using (file) return !Locked(file, path, shared: true);
    }

    public void Dispose() => _file.Dispose();

    /// <summary>.NET's own FileShare.None lock refused the open: it reports flock's EWOULDBLOCK as a plain IOException
    /// whose HResult is the errno.</summary>
    private static bool HeldByOther(IOException e) => e.GetType() == typeof(IOException) && e.HResult == WouldBlock;

    /// <summary>Takes flock on <paramref name="file"/>: true, or false where another holds it (the file then closed).</summary>
    private static bool Locked(FileStream file, string path, bool shared = false)
    {
        int error = Lock(file, shared);
        if (error == 0) return true;
        file.Dispose();
        if (error == WouldBlock) return false;
        bool noLocks = error is NoLocks or NotSupported;
        throw new FileLockException(path, (noLocks ? "its file system takes no lock" : "cannot be locked") + $" ({Marshal.GetPInvokeErrorMessage(error)})", noLocks);
    }

    // Linux's errno values (the same on x64 and arm64).
    private const int Interrupted = 4, WouldBlock = 11, NoLocks = 37, NotSupported = 95;

    /// <summary>flock(LOCK_EX | LOCK_NB), or LOCK_SH where <paramref name="shared"/>, on the file's descriptor: 0, or the
    /// errno. Again on the same descriptor (where .NET took it) it succeeds.</summary>
    private static int Lock(FileStream file, bool shared)
    {
        const int sharedLock = 1, exclusive = 2, nonBlocking = 4;
        int fd = (int)file.SafeFileHandle.DangerousGetHandle();
        while (true)
        {
            if (Flock(fd, (shared ? sharedLock : exclusive) | nonBlocking) == 0) return 0;
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
