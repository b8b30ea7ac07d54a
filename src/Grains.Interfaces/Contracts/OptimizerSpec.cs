namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The spec's <c>optimizer</c> block: hyperparameters shared by every optimizer of the grid (SPEC §4 defaults).</summary>
[GenerateSerializer, Immutable, Alias("gg.OptimizerSpec")]
public sealed record OptimizerSpec(
    [property: Id(0)] double WeightDecay = 0.0,
    [property: Id(1)] double Momentum = 0.0,
    [property: Id(2)] double Beta1 = 0.9,
    [property: Id(3)] double Beta2 = 0.99,
    [property: Id(4)] double Epsilon = 1e-6,
    [property: Id(5)] double ClipThreshold = 1.0);
