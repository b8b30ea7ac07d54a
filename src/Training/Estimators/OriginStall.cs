using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// A start that trains nothing: W^T, unnormalised, with one tangent pass per layer, under an Adam variant, from weights near
/// the origin. Its guess for a hidden layer is as small as the weights above it and its update the square of that guess, so
/// the hidden layers' updates fall below the optimizer's ε: their steps vanish, the decoupled decay shrinks them, and the
/// cell stays at chance. In one pass the output layer's term moves them; a normalised guess, or a smaller ε, keeps them
/// moving too (docs/STUDY.md, "One tangent pass or one per layer").
/// </summary>
/// <remarks>
/// The rule fits what was measured (Fashion-MNIST, width 128, AdamW 1e-3, 8 epochs; stalls / trains): depth 2 at scale 5e-4 /
/// 2e-3, depth 3 at 0.03 / 0.04 (StableAdamW 0.03 / 0.05), depth 4 at 0.05 / 0.1, depth 5 trains at 0.15; depth 1 trains from
/// 1e-5. At depth 3 and scale 0.01, ε = 1e-10 stalls and 1e-12 trains. Between those points it is a guess, so callers warn.
/// </remarks>
public static class OriginStall
{
    /// <summary>initScale^(depth − 1) below this stalls (depth 1 never does: its only hidden layer's guess is sized by the
    /// output layer, which its own N(0, I) guess trains).</summary>
    private const double ScaleToTheDepth = 1e-3;

    /// <summary>An ε at or below this trained every start measured.</summary>
    private const double SafeEpsilon = 1e-12;

    public static bool Risks(EstimatorSettings estimator, OptimizerSettings optimizer, int depth, double? initScale) =>
        estimator is { Kind: EstimatorKind.WTranspose, OnePass: false, NormaliseEffective: false }
        && optimizer.Kind != OptimizerKind.Sgd && optimizer.Epsilon > SafeEpsilon
        && initScale is { } scale && Math.Pow(scale, depth - 1) < ScaleToTheDepth;
}
