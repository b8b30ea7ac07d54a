using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Diagnostics;

/// <summary>Cosine similarity between an update and the true gradient, per cell: per layer (W_i and b_i together)
/// and over all parameters.</summary>
public static class CosineSimilarity
{
    /// <returns>Per layer [P, L] and overall [P] (on the tensors' device).</returns>
    public static (Tensor PerLayer, Tensor Overall) Compute(LayeredTensor update, LayeredTensor gradient) =>
        From(LayerProducts.Of(update, gradient));

    /// <summary>The same from the layers' products, when they serve other figures too.</summary>
    public static (Tensor PerLayer, Tensor Overall) From(LayerProducts p)
    {
        // ‖u‖·‖g‖, not sqrt(‖u‖²·‖g‖²): the product of two small squared norms underflows float32 once ‖u‖‖g‖ < ~1e-19.
        var perLayer = p.Dot.div(p.UpdateSquares.sqrt().mul_(p.GradientSquares.sqrt()).clamp_min_(Scalars.Tiny));
        var overall = p.Dot.sum(1).div(p.UpdateSquares.sum(1).sqrt_().mul_(p.GradientSquares.sum(1).sqrt_()).clamp_min_(Scalars.Tiny));
        return (perLayer, overall);
    }
}
