using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// One training host per state directory. Two hosts (<c>gradguess local</c> or a silo with file storage) on one
/// directory would each run a silo over the same files, racing on every write (ETag mismatches) and training the same
/// packs twice. The lock is an exclusive flock(2) of <c>STATE/lock</c> (<see cref="FileLock"/>, whatever
/// DOTNET_SYSTEM_IO_DISABLEFILELOCKING says), so it ends with the process, however it ends. Offline readers (status, results,
/// export, plot --state-dir) do not take it, nor do silos with Redis or PostgreSQL state sharing a checkpoint volume.
/// </summary>
public sealed class StateDirectoryLock : IDisposable
{
    private readonly FileLock _lock;

    /// <summary>The lock file's name inside the state directory.</summary>
    public const string FileName = "lock";

    private StateDirectoryLock(FileLock held) => _lock = held;

    /// <summary>Checks the directory (<see cref="HostDirectories"/>, creating it when missing) and takes its lock, or
    /// throws <see cref="HostDirectoryException"/> naming it after <paramref name="setting"/>.</summary>
    public static StateDirectoryLock Acquire(string stateDirectory, string setting = "--state-dir")
    {
        HostDirectories.EnsureWritable(setting, stateDirectory);
        var path = Path.Combine(stateDirectory, FileName);
        // A few tries: an offline reader's IsHeld probe holds the lock for a moment, and must not turn a host away.
        for (var attempt = 1; ; attempt++)
        {
            FileLock? held;
            try { held = FileLock.TryAcquire(path); }
            catch (FileLockException e) when (e.NoLocks)
            {
                throw new HostDirectoryException($"{setting} {Path.GetFullPath(stateDirectory)}: {e.Message}; put the state directory on a local file system");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new HostDirectoryException($"{setting} {Path.GetFullPath(stateDirectory)}: cannot take its lock file: {e.Message}");
            }
            if (held is not null) return new StateDirectoryLock(held);
            if (attempt >= ProbeRetries)
                throw new HostDirectoryException($"{setting} {Path.GetFullPath(stateDirectory)} is in use by another gradguess local or silo; " +
                    "wait for it to end, or use another directory");
            Thread.Sleep(ProbeRetryDelay);
        }
    }

    /// <summary>Whether a host (a <c>local</c> or a file-storage silo) holds the directory now. Offline readers ask, so
    /// they can say that a sweep recorded as running is paused until a host runs it again.</summary>
    public static bool IsHeld(string stateDirectory)
    {
        try { return FileLock.IsHeld(Path.Combine(stateDirectory, FileName)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;   // cannot tell: do not claim the sweep is paused
        }
    }

    private const int ProbeRetries = 5;
    private static readonly TimeSpan ProbeRetryDelay = TimeSpan.FromMilliseconds(40);

    public void Dispose() => _lock.Dispose();
}
