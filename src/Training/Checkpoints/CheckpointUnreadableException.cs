namespace GradGuessCluster.Training.Checkpoints;

/// <summary>A checkpoint the system could not read (an I/O error, a file gone between finding and opening it, a stale
/// network-volume handle, no permission), as opposed to one read and found wrong (<see cref="CheckpointCorruptException"/>):
/// the file may be sound, so nothing should suggest throwing it away; a later try may read it. The CLI exits 2 for it,
/// as for a data file it cannot read.</summary>
public sealed class CheckpointUnreadableException(string path, Exception inner)
    : IOException($"checkpoint {path}: cannot be read: {inner.Message}", inner)
{
    public string FilePath { get; } = path;
}
