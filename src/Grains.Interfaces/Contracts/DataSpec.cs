namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The spec's <c>data</c> block: which set, from where, and the synthetic set's shape.</summary>
/// <param name="Set">synthetic | fashion-mnist | mnist | cifar10</param>
/// <param name="Directory">Directory holding the set's files; null = the set's default location.</param>
/// <param name="Train">Synthetic only: training examples.</param>
/// <param name="Test">Synthetic only: test examples.</param>
/// <param name="Features">Synthetic only: features per example.</param>
/// <param name="Seed">Synthetic only: the generator seed.</param>
[GenerateSerializer, Immutable, Alias("gg.DataSpec")]
public sealed record DataSpec(
    [property: Id(0)] string Set,
    [property: Id(1)] string? Directory = null,
    [property: Id(2)] int Train = DataSpec.DefaultSyntheticTrain,
    [property: Id(3)] int Test = DataSpec.DefaultSyntheticTest,
    [property: Id(4)] int Features = DataSpec.DefaultSyntheticFeatures,
    [property: Id(5)] int Seed = DataSpec.DefaultSyntheticSeed)
{
    // The same defaults as Training.Data.DataSource (checked by a test).
    public const int DefaultSyntheticTrain = 2048;
    public const int DefaultSyntheticTest = 512;
    public const int DefaultSyntheticFeatures = 64;
    public const int DefaultSyntheticSeed = 1234;

    public const string SyntheticSet = "synthetic";

    public bool IsSynthetic => Set == SyntheticSet;
}
