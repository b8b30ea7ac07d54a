using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>The oracle: the true gradient.</summary>
public sealed class BackpropEstimator : IGradientEstimator
{
    public EstimatorKind Kind => EstimatorKind.Backprop;

    public void Estimate(MlpPack model, ForwardCache fwd, Tensor logitGradient, GuessStreams guesses, LayeredTensor into) =>
        Backprop.Gradient(model, fwd, logitGradient, into);

    public double FlopsPerExample(MlpShape shape, long batchSize) => FlopCount.Backprop(shape);
}
