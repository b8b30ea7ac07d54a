namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The spec's <c>optimizer</c> block: hyperparameters for every optimizer of the grid. A null field keeps each
/// optimizer's own default (the training core's OptimizerSettings.Default: e.g. AdamW β2 0.999, ε 1e-8, λ 0.01;
/// StableAdamW β = (0.9, 0.99), ε 1e-6, λ 0.01; SGD plain). <see cref="OutputLrScale"/> multiplies the output layer's
/// learning rate (its step and its decoupled decay) in every cell; null steps every layer at the cell's rate.
/// <see cref="Schedule"/> (<c>constant</c> or <c>cosine</c>, over the sweep's epochs) and <see cref="WarmupEpochs"/> change
/// each cell's rate from epoch to epoch; null keeps it constant from the first epoch.</summary>
[GenerateSerializer, Immutable, Alias("gg.OptimizerSpec")]
public sealed record OptimizerSpec(
    [property: Id(0)] double? WeightDecay = null,
    [property: Id(1)] double? Momentum = null,
    [property: Id(2)] double? Beta1 = null,
    [property: Id(3)] double? Beta2 = null,
    [property: Id(4)] double? Epsilon = null,
    [property: Id(5)] double? ClipThreshold = null,
    [property: Id(6)] double? OutputLrScale = null,
    [property: Id(7)] string? Schedule = null,
    [property: Id(8)] int? WarmupEpochs = null);
