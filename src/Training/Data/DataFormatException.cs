namespace GradGuessCluster.Training.Data;

/// <summary>A data file is missing, truncated, corrupt or mislabelled. The message names the file and the problem.</summary>
public sealed class DataFormatException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    public string FilePath { get; } = path;
    public string Problem { get; } = problem;
}
