using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>W^T: ŝ_{i,b} = D_{i,b} W_{i+1}ᵀ ε_{i,b}, ε ~ N(0, I_{n_{i+1}}). The true δ_i = D_i W_{i+1}ᵀ δ_{i+1} lies in
/// range(D_i W_{i+1}ᵀ), so the guess searches that subspace only (biased: Cov = D Wᵀ W D).</summary>
public sealed class WTransposeEstimator(EstimatorSettings settings) : ActivationGuessEstimator(settings)
{
    public override EstimatorKind Kind => EstimatorKind.WTranspose;

    protected override Tensor HiddenGuess(int i, MlpPack model, ForwardCache fwd, GuessStreams guesses)
    {
        var epsilon = guesses.Normal(fwd.BatchSize, model.Shape.OutSize(i + 1));              // [P, B, n_{i+1}]
        return PackLinear.Pullback(epsilon, model.Parameters.W(i + 1)).mul_(fwd.Masks[i]);   // [P, B, n_i]
    }

    protected override double GuessFlops(MlpShape shape, long batchSize) => FlopCount.Propagate(shape);
}
