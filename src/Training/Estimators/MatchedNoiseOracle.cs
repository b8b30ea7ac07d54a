using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// The bias experiment's oracle: the true gradient g plus isotropic noise orthogonal to it, scaled so the cosine
/// with g is exactly the target c: ĝ = g + ‖g‖ tan θ n̂, cos θ = c, n̂ a uniformly random unit vector ⟂ g.
/// Unbiased (E[n̂] = 0) with the alignment of a guessing method, so it isolates the effect of bias.
/// </summary>
public sealed class MatchedNoiseOracle(EstimatorSettings settings) : IGradientEstimator
{
    public EstimatorKind Kind => EstimatorKind.MatchedNoise;

    public void Estimate(MlpPack model, ForwardCache fwd, Tensor logitGradient, GuessStreams guesses, LayeredTensor into)
    {
        Backprop.Gradient(model, fwd, logitGradient, into);
        var g = into.Flat;                                                           // [P, N]
        var n = guesses.Normal(model.Shape.ParameterCount);                          // [P, N]
        var gg = g.mul(g).sum(1, keepdim: true);
        var perp = n.sub(g.mul(n.mul(g).sum(1, keepdim: true).div(gg.clamp_min(Scalars.Tiny))));
        double c = settings.MatchedCosine;
        using var tan = (Math.Sqrt(1 - c * c) / c).ToScalar();
        var scale = gg.sqrt().mul(tan).div(perp.norm(1, keepdim: true).clamp_min(Scalars.Tiny));
        g.addcmul_(perp, scale, Scalars.One);
    }

    public double FlopsPerExample(MlpShape shape, long batchSize) => FlopCount.Backprop(shape);
}
