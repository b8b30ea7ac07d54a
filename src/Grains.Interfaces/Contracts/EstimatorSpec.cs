namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The spec's <c>estimator</c> block: how guessing methods draw guesses (SPEC §3 explicit options).</summary>
/// <param name="Guesses">K guesses per step, averaged.</param>
/// <param name="Normalise">Per-example guess normalisation; null = each method's default.</param>
/// <param name="OnePass">All layers' guesses in one tangent pass.</param>
/// <param name="MatchedCosine">matched-noise only: target cosine similarity with the true gradient.</param>
[GenerateSerializer, Immutable, Alias("gg.EstimatorSpec")]
public sealed record EstimatorSpec(
    [property: Id(0)] int Guesses = 1,
    [property: Id(1)] bool? Normalise = null,
    [property: Id(2)] bool OnePass = true,
    [property: Id(3)] double MatchedCosine = 0.1);
