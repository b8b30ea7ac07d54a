using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// A start that trains nothing: W^T, downstream or activation mixing, unnormalised, with one tangent pass per layer, under an
/// Adam variant, from weights near the origin. Their guess for a hidden layer is drawn through the weights or activations
/// above it, so it is as small as they are, and its update is the square of that guess: the hidden layers' updates fall
/// below the optimizer's ε, their steps vanish, the decoupled decay shrinks them, and the cell stays at chance. In one pass
/// the output layer's term moves them; a normalised guess (downstream's and activation mixing's default), or a smaller ε,
/// keeps them moving too (docs/STUDY.md, "One tangent pass or one per layer").
/// </summary>
/// <remarks>
/// The rule fits what was measured (Fashion-MNIST, width 128, AdamW 1e-3, 8 epochs; stalls / trains): W^T at depth 2 at
/// scale 5e-4 / 2e-3, depth 3 at 0.03 / 0.04 (StableAdamW 0.03 / 0.05), depth 4 at 0.05 / 0.1, depth 5 trains at 0.15,
/// depth 1 from 1e-5; unnormalised downstream at depth 3 0.03 / 0.04, activation mixing 0.01 / 0.03 (warned of at 0.03).
/// At depth 3 and scale 0.01, ε = 1e-10 stalls W^T and 1e-12 trains it and unnormalised downstream; activation mixing
/// needs 1e-18 (1e-12 stalls). Between those points it is a guess: callers warn.
/// </remarks>
public static class OriginStall
{
    /// <summary>initScale^(depth − 1) below this stalls (depth 1 never does: its only hidden layer's guess is sized by the
    /// output layer, which its own N(0, I) guess trains).</summary>
    private const double ScaleToTheDepth = 1e-3;

    /// <summary>An ε at or below this trained every start measured: activation mixing's guess, a mix of the activations
    /// above the layer, is smaller still than the others' (at depth 3 from 0.01, 1e-12 left it at chance; 1e-18 trained it).</summary>
    private static double SafeEpsilon(EstimatorKind kind) => kind == EstimatorKind.ActivationMixing ? 1e-18 : 1e-12;

    /// <summary>The methods whose hidden-layer guess is drawn through what lies above the layer (activation perturbation's
    /// is N(0, I) whatever the weights).</summary>
    public static bool SizedByTheWeights(EstimatorKind kind) =>
        kind is EstimatorKind.WTranspose or EstimatorKind.Downstream or EstimatorKind.ActivationMixing;

    public static bool Risks(EstimatorSettings estimator, OptimizerSettings optimizer, int depth, double? initScale) =>
        SizedByTheWeights(estimator.Kind) && estimator is { OnePass: false, NormaliseEffective: false }
        && optimizer.Kind != OptimizerKind.Sgd && optimizer.Epsilon > SafeEpsilon(estimator.Kind)
        && initScale is { } scale && Math.Pow(scale, depth - 1) < ScaleToTheDepth;
}
