namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Learning rates that one row of the grid (a method × optimizer) trains besides the spec's <c>learningRates</c>,
/// for every seed: what <c>refine</c> asks for is usually one row's, and the grid's own axis would train it in every row.
/// <see cref="LearningRates"/> holds none of the spec's <c>learningRates</c> (the validator refuses a rate twice).</summary>
[GenerateSerializer, Immutable, Alias("gg.RowLearningRates")]
public sealed record RowLearningRates(
    [property: Id(0)] string Method,
    [property: Id(1)] string Optimizer,
    [property: Id(2)] IReadOnlyList<double> LearningRates);
