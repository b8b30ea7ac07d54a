using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Training.Checkpoints;

/// <summary>A checkpoint file failed validation (magic, version, length, checksum, or it belongs to another pack).</summary>
public sealed class CheckpointCorruptException(string path, string problem, Exception? inner = null)
    : Exception($"checkpoint {path}: {problem}", inner)
{
    public string FilePath { get; } = path;

    /// <summary>For a checkpoint of another pack configuration: where the configurations differ, so that a caller can say
    /// it in its own terms (the CLI's option names); empty otherwise, and where the checkpoint does not keep its own.</summary>
    public IReadOnlyList<ConfigurationDifference> Differences { get; init; } = [];
}
