namespace GradGuessCluster.Training;

/// <summary>A training setting out of range. <see cref="Setting"/> is the setting's plain name (<c>batchSize</c>,
/// <c>learning rate</c>), so a front end can name it as its user wrote it (<c>train</c> says <c>--batch-size</c>).</summary>
public sealed class InvalidSettingException(string setting, string problem) : ArgumentException($"{setting} {problem}")
{
    public string Setting { get; } = setting;

    /// <summary>What is wrong, without the name: "must be >= 1, got 0".</summary>
    public string Problem { get; } = problem;
}
