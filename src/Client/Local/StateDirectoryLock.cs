namespace GradGuessCluster.Client.Local;

/// <summary>
/// One training host per state directory. Two <c>gradguess local</c> runs on one directory would each start a silo
/// over the same files and train the same packs twice, racing on every write. The lock is an exclusive open of
/// <c>STATE/lock</c> (.NET takes an advisory flock for <see cref="FileShare.None"/>), so it ends with the process,
/// however it ends. Offline readers (status, results, export, plot --state-dir) do not take it.
/// </summary>
internal sealed class StateDirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private StateDirectoryLock(FileStream file) => _file = file;

    public static StateDirectoryLock Acquire(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "lock");
        try
        {
            return new StateDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw new UsageException($"--state-dir {stateDirectory} is in use by another gradguess local; wait for it to end, or use another directory");
        }
    }

    public void Dispose() => _file.Dispose();
}
