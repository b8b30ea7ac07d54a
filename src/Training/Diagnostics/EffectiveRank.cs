using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Diagnostics;

/// <summary>Effective rank (Roy &amp; Vetterli 2007) of each weight matrix: exp of the entropy of its normalised
/// singular values. Falls as a matrix becomes low-rank, which is how self-sharpening shows.</summary>
public static class EffectiveRank
{
    /// <returns>[P, L] effective ranks; NaN for a matrix with a non-finite entry (a diverged cell).</returns>
    public static Tensor Compute(LayeredTensor parameters)
    {
        using var s = new HeldScalars();
        var ranks = new Tensor[parameters.Shape.Layers];
        for (int i = 0; i < ranks.Length; i++)
        {
            // LAPACK's SVD throws on a NaN anywhere in the batch, which would fail a diverged cell's packmates too: such
            // matrices enter as zeros and leave as NaN.
            var w = parameters.W(i);
            var broken = w.isfinite().logical_not().any(2).any(1);                    // [P]
            var sigma = linalg.svdvals(w.nan_to_num(0, 0, 0));                        // [P, k]
            var p = sigma.div(sigma.sum(1, keepdim: true).clamp_min(Scalars.Tiny));
            var entropy = p.mul(p.clamp_min(Scalars.Tiny).log()).sum(1).neg();
            ranks[i] = entropy.exp().masked_fill(broken, s[double.NaN]);
        }
        return stack(ranks, 1);
    }
}
