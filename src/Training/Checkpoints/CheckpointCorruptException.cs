namespace GradGuessCluster.Training.Checkpoints;

/// <summary>A checkpoint file failed validation (magic, version, length, checksum, or it belongs to another pack).</summary>
public sealed class CheckpointCorruptException(string path, string problem, Exception? inner = null)
    : Exception($"checkpoint {path}: {problem}", inner)
{
    public string FilePath { get; } = path;
}
