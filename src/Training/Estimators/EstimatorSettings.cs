namespace GradGuessCluster.Training.Estimators;

/// <summary>How a guessing method draws and uses its guesses (SPEC §3 "details that must be explicit options").</summary>
/// <param name="Guesses">K: guesses per step, averaged (1 = the study's default).</param>
/// <param name="OnePass">All layers' guesses injected in one tangent pass (default); false = one pass per layer.</param>
/// <param name="Normalise">Per-example guess normalisation to norm sqrt(n_i); null = the method's default
/// (on for downstream and activation-mixing, off for wt and activation-perturbation). Hidden layers only: the output
/// layer's N(0, I) guess is never normalised.</param>
/// <param name="MatchedCosine">matched-noise only: the target cosine similarity with the true gradient.</param>
public sealed record EstimatorSettings(
    EstimatorKind Kind,
    int Guesses = 1,
    bool OnePass = true,
    bool? Normalise = null,
    double MatchedCosine = 0.1)
{
    public bool NormaliseEffective => Normalise ?? Kind is EstimatorKind.Downstream or EstimatorKind.ActivationMixing;
}
