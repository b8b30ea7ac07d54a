using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>Activation mixing: ŝ_{i,b} = D_{i,b} (A x_{i+1})_b with A ~ N(0, 1)^{B×B} drawn per layer and step —
/// a random mix of the batch's own activations at that layer, masked by that layer's ReLU.</summary>
public sealed class ActivationMixingEstimator(EstimatorSettings settings) : ActivationGuessEstimator(settings)
{
    public override EstimatorKind Kind => EstimatorKind.ActivationMixing;

    protected override Tensor HiddenGuess(int i, MlpPack model, ForwardCache fwd, GuessStreams guesses)
    {
        long b = fwd.BatchSize;
        var mix = guesses.Normal(b, b);                                              // A [P, B, B]
        return bmm(mix, fwd.Inputs[i + 1]).mul_(fwd.Masks[i]);                      // D_i (A x_{i+1})  [P, B, n_i]
    }

    protected override double GuessFlops(MlpShape shape, long batchSize) =>
        Enumerable.Range(0, shape.Layers - 1).Sum(i => 2.0 * batchSize * shape.OutSize(i));
}
