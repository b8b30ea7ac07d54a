namespace GradGuessCluster.Grains.Cells;

/// <summary>A pack's checkpoint, or the epoch records kept beside it, could not be written for want of space (the volume
/// is full, or the quota spent), which passes once room is made. Not the cells' failure: the pack stops and is started
/// again after a pause, from its last checkpoint. Any other write failure (a file where the directory belongs, a volume
/// that refuses writes) is a setting to fix, and fails the cells with the file named, as before.</summary>
internal sealed class CheckpointWriteException(string path, string silo, int epoch, Exception inner)
    : IOException($"cannot write its checkpoint {path} on {silo} after epoch {epoch}: {inner.Message}", inner)
{
    private const int NoSpace = 28, QuotaExceeded = 122;   // ENOSPC, EDQUOT (Linux): .NET keeps the errno as HResult

    public static bool IsNoSpace(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is IOException { HResult: NoSpace or QuotaExceeded }) return true;
        return false;
    }
}
