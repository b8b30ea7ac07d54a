using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>1-layer downstream: a random cotangent at s_{i+1} pulled back through layer i+1's ReLU and weights,
/// ŝ_{i,b} = D_{i,b} W_{i+1}ᵀ D_{i+1,b} ε_{i,b}. For the last hidden layer, layer i+1 is the output layer, which
/// has no ReLU (D_{i+1} = I), so the guess equals W^T's there.</summary>
public sealed class DownstreamEstimator(EstimatorSettings settings) : ActivationGuessEstimator(settings)
{
    public override EstimatorKind Kind => EstimatorKind.Downstream;

    protected override Tensor HiddenGuess(int i, MlpPack model, ForwardCache fwd, GuessStreams guesses)
    {
        var epsilon = guesses.Normal(fwd.BatchSize, model.Shape.OutSize(i + 1));              // [P, B, n_{i+1}]
        if (i + 1 < fwd.Masks.Length) epsilon = epsilon.mul_(fwd.Masks[i + 1]);              // D_{i+1} ε
        return PackLinear.Pullback(epsilon, model.Parameters.W(i + 1)).mul_(fwd.Masks[i]);
    }

    protected override double GuessFlops(MlpShape shape, long batchSize) => FlopCount.Propagate(shape);
}
