using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Diagnostics;

/// <summary>Per cell and linear layer (W_i and b_i together), [P, L] each: ⟨u_l, g_l⟩, ‖u_l‖² and ‖g_l‖². One pass
/// over both vectors gives what the cosines and the layers' shares are made of.</summary>
public sealed record LayerProducts(Tensor Dot, Tensor UpdateSquares, Tensor GradientSquares)
{
    public static LayerProducts Of(LayeredTensor update, LayeredTensor gradient)
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
            uu[i] = u.mul(u).sum(1);
            gg[i] = g.mul(g).sum(1);
        }
        return new LayerProducts(stack(dots, 1), stack(uu, 1), stack(gg, 1));
    }
}
