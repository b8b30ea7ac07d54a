namespace GradGuessCluster.Training.Data;

/// <summary>Which data set to load and from where.</summary>
/// <param name="Set">synthetic | fashion-mnist | mnist | cifar10</param>
/// <param name="Directory">Directory holding the files; null means the set's default location.</param>
/// <param name="SyntheticTrain">Synthetic set only: training examples.</param>
/// <param name="SyntheticTest">Synthetic set only: test examples.</param>
/// <param name="SyntheticFeatures">Synthetic set only: feature count.</param>
/// <param name="SyntheticSeed">Synthetic set only: generator seed (the set is a pure function of its parameters).</param>
public sealed record DataSource(
    string Set,
    string? Directory = null,
    int SyntheticTrain = 2048,
    int SyntheticTest = 512,
    int SyntheticFeatures = 64,
    int SyntheticSeed = 1234)
{
    public static readonly IReadOnlyList<string> KnownSets = ["synthetic", "fashion-mnist", "mnist", "cifar10"];
}
