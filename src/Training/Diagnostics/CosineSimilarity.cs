using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Diagnostics;

/// <summary>Cosine similarity between an update and the true gradient, per cell: per layer (W_i and b_i together)
/// and over all parameters.</summary>
public static class CosineSimilarity
{
    /// <returns>Per layer [P, L] and overall [P] (on the tensors' device).</returns>
    public static (Tensor PerLayer, Tensor Overall) Compute(LayeredTensor update, LayeredTensor gradient)
    {
        int layers = update.Shape.Layers;
        var dots = new Tensor[layers];
        var uu = new Tensor[layers];
        var gg = new Tensor[layers];
        for (int i = 0; i < layers; i++)
        {
            var u = update.LayerFlat(i);
            var g = gradient.LayerFlat(i);
            dots[i] = u.mul(g).sum(1);
            uu[i] = u.square().sum(1);
            gg[i] = g.square().sum(1);
        }
        var dot = stack(dots, 1);                                                    // [P, L]
        var un = stack(uu, 1);
        var gn = stack(gg, 1);
        // ‖u‖·‖g‖, not sqrt(‖u‖²·‖g‖²): the product of two small squared norms underflows float32 once ‖u‖‖g‖ < ~1e-19.
        var perLayer = dot.div(un.sqrt().mul_(gn.sqrt()).clamp_min_(Scalars.Tiny));
        var overall = dot.sum(1).div(un.sum(1).sqrt_().mul_(gn.sum(1).sqrt_()).clamp_min_(Scalars.Tiny));
        return (perLayer, overall);
    }
}
