using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>Weight perturbation (forward gradient): ε ~ N(0, I) over all weights and biases, d = JVP of the batch
/// loss along ε, update d·ε. Unbiased; cosine with the gradient ~ √(2/(πN)). Cells of a pack that share a seed draw
/// the same ε, so the tangent pass computes their layer-0 term once.</summary>
public sealed class DirectionalEstimator(EstimatorSettings settings) : IGradientEstimator
{
    public EstimatorKind Kind => EstimatorKind.Directional;

    public void Estimate(MlpPack model, ForwardCache fwd, Tensor logitGradient, GuessStreams guesses, LayeredTensor into)
    {
        if (settings.Guesses == 1 && into.Flat.is_contiguous())
        {
            // The common case without temporaries: draw ε straight into the update buffer and scale it in place.
            guesses.NormalInto(into.Flat);
            var d = TangentPass.PerExample(model, fwd, logitGradient, into, null, guesses.SharedWith).sum(1, keepdim: true);   // [P, 1]
            into.Flat.mul_(d);
            return;
        }
        into.Flat.zero_();
        for (int k = 0; k < settings.Guesses; k++)
        {
            using var epsilon = new LayeredTensor(model.Shape, guesses.Normal(model.Shape.ParameterCount));   // [P, N]
            var dk = TangentPass.PerExample(model, fwd, logitGradient, epsilon, null, guesses.SharedWith).sum(1, keepdim: true); // [P, 1]
            into.Flat.addcmul_(epsilon.Flat, dk, Scalars.One);
        }
        if (settings.Guesses > 1)
        {
            using var k = new HeldScalars();
            into.Flat.div_(k[settings.Guesses]);
        }
    }

    public double FlopsPerExample(MlpShape shape, long batchSize) =>
        FlopCount.Forward(shape) + settings.Guesses * (FlopCount.Outer(shape) + FlopCount.Propagate(shape));

    /// <summary>Ẇ_0 x_0 per guess: the batch and ε are the same for cells sharing a seed.</summary>
    public double SharedFlopsPerExample(MlpShape shape) => settings.Guesses * 2.0 * shape.OutSize(0) * shape.InSize(0);
}
