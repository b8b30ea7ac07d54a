using GradGuessCluster.Training.Diagnostics;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Estimators;

/// <summary>Monte Carlo: the mean of many independent updates of an unbiased estimator points along the true
/// gradient. A pack of identical networks with different guess seeds gives the draws in one call.</summary>
public class UnbiasednessTests
{
    public UnbiasednessTests() => TinyNets.Init();

    [Theory]
    [InlineData(EstimatorKind.Directional)]
    [InlineData(EstimatorKind.ActivationPerturbation)]
    [InlineData(EstimatorKind.MaskedPerturbation)]                                  // isotropic within range(D_i), which holds δ_i
    [InlineData(EstimatorKind.MatchedNoise)]                                         // the bias experiment's unbiased oracle
    public void MeanOfManyUpdates_AlignsWithTrueGradient(EstimatorKind kind)
    {
        const int draws = 3000;
        using var scope = NewDisposeScope();
        var shape = new MlpShape(Inputs: 4, Width: 6, Depth: 2, Classes: 3);         // N = 93 parameters
        using var one = MlpPack.Create(shape, [17], CPU);
        using var model = new MlpPack(shape, one.Parameters.Flat.expand(draws, shape.ParameterCount).clone());
        var (x, y) = TinyNets.Batch(shape, 8, 18);
        var fwd = model.Forward(x);
        var logitGradient = LossTerms.LogitGradient(fwd.Logits, y);
        var streams = new GuessStreams(Enumerable.Range(0, draws).Select(i => (long)i).ToArray(), CPU);
        using var updates = LayeredTensor.Zeros(shape, draws, CPU);
        EstimatorFactory.Create(new EstimatorSettings(kind)).Estimate(model, fwd, logitGradient, streams, updates);
        using var truth = LayeredTensor.Zeros(shape, draws, CPU);
        Backprop.Gradient(model, fwd, logitGradient, truth);

        using var mean = new LayeredTensor(shape, updates.Flat.mean([0], keepdim: true));
        using var g = new LayeredTensor(shape, truth.Flat.narrow(0, 0, 1).clone());
        var (_, overall) = CosineSimilarity.Compute(mean, g);
        var (_, single) = CosineSimilarity.Compute(updates, truth);
        double meanCos = overall.item<float>();
        Assert.True(meanCos > 0.95, $"{kind}: cosine of the mean update with the gradient is {meanCos:F3}");
        // Unbiased: on average a draw steps along the gradient exactly as far as the gradient does.
        var (projection, _) = GradientAlignment.Compute(updates, truth);
        double meanProjection = projection.mean().item<float>();
        Assert.True(Math.Abs(meanProjection - 1) < 0.1, $"{kind}: mean projection on the gradient is {meanProjection:F3}, not 1");
        // And a single draw is far from aligned, so the test is not passing trivially.
        Assert.True(single.mean().item<float>() < 0.6, $"{kind}: single draws already aligned ({single.mean().item<float>():F3})");
    }
}
