using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Diagnostics;

/// <summary>Each cell's alignment with the true gradient over an epoch's sampled steps: means of the cosines (overall and
/// per layer) and of the projection on the gradient, the RMS of the update's length (<see cref="GradientAlignment"/>), and
/// the mean cosine of the optimizer's step with the descent direction.</summary>
/// <param name="LayerCosine">[cell][layer].</param>
/// <param name="StepCosine">Of the parameters' change in the step (what the optimizer made of the update: momentum,
/// AdamW's per-coordinate scaling, weight decay) with −g.</param>
/// <param name="LayerStepCosine">The same per linear layer, [cell][layer]: whether the optimizer loses alignment within
/// layers or by re-weighting them against each other (AdamW gives every coordinate a step of about its rate).</param>
/// <param name="LayerGradientShare">Mean fraction of the true gradient's squared norm in each layer, [cell][layer]
/// (<see cref="LayerShares"/>); likewise the update's and the step's.</param>
public sealed record EpochAlignment(double[] Cosine, double[][] LayerCosine, double[] Projection, double[] UpdateNormRatio, double[] StepCosine,
    double[][] LayerStepCosine, double[][] LayerGradientShare, double[][] LayerUpdateShare, double[][] LayerStepShare);

/// <summary>Sums of an epoch's samples, kept on the device so that sampling a step does not wait for it; read once, at
/// the epoch's end. Create it in the epoch's dispose scope, which frees the sums.</summary>
internal sealed class GradientSamples(int pack, int layers, Device device)
{
    private readonly Tensor _cosine = zeros(pack, device: device);
    private readonly Tensor _layerCosine = zeros(pack, layers, device: device);
    private readonly Tensor _projection = zeros(pack, device: device);
    private readonly Tensor _squaredLength = zeros(pack, device: device);
    private readonly Tensor _stepCosine = zeros(pack, device: device);
    private readonly Tensor _layerStepCosine = zeros(pack, layers, device: device);
    private readonly Tensor _gradientShare = zeros(pack, layers, device: device);
    private readonly Tensor _updateShare = zeros(pack, layers, device: device);
    private readonly Tensor _stepShare = zeros(pack, layers, device: device);
    private int _count;

    public void Add(LayeredTensor update, LayeredTensor gradient)
    {
        var products = LayerProducts.Of(update, gradient);
        var (perLayer, overall) = CosineSimilarity.From(products);
        _cosine.add_(overall, Scalars.One);
        _layerCosine.add_(perLayer, Scalars.One);
        var (projection, squaredLength) = GradientAlignment.Compute(update, gradient);
        _projection.add_(projection, Scalars.One);
        _squaredLength.add_(squaredLength, Scalars.One);
        _gradientShare.add_(LayerShares.Of(products.GradientSquares), Scalars.One);
        _updateShare.add_(LayerShares.Of(products.UpdateSquares), Scalars.One);
        _count++;
    }

    /// <summary>The same step's parameter change, before − after (a descent direction), against its true gradient.</summary>
    public void AddStep(LayeredTensor descent, LayeredTensor gradient)
    {
        var products = LayerProducts.Of(descent, gradient);
        var (perLayer, overall) = CosineSimilarity.From(products);
        _stepCosine.add_(overall, Scalars.One);
        _layerStepCosine.add_(perLayer, Scalars.One);
        _stepShare.add_(LayerShares.Of(products.UpdateSquares), Scalars.One);
    }

    /// <summary>The epoch's means per cell; null when no step was sampled.</summary>
    public EpochAlignment? Mean()
    {
        if (_count == 0) return null;
        using var scope = NewDisposeScope();
        using var count = new HeldScalars();
        double[] Cells(Tensor sum) => sum.div(count[_count]).cpu().data<float>().Select(v => (double)v).ToArray();
        double[][] PerLayer(Tensor sum)
        {
            var mean = sum.div(count[_count]).cpu();
            return Enumerable.Range(0, (int)mean.shape[0]).Select(p => mean[p].data<float>().Select(v => (double)v).ToArray()).ToArray();
        }
        return new EpochAlignment(Cells(_cosine), PerLayer(_layerCosine), Cells(_projection),
            Cells(_squaredLength).Select(Math.Sqrt).ToArray(), Cells(_stepCosine), PerLayer(_layerStepCosine),
            PerLayer(_gradientShare), PerLayer(_updateShare), PerLayer(_stepShare));
    }
}
