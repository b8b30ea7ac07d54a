using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Diagnostics;

/// <summary>Effective rank (Roy &amp; Vetterli 2007) of each weight matrix: exp of the entropy of its normalised
/// singular values. Falls as a matrix becomes low-rank, which is how self-sharpening shows.</summary>
public static class EffectiveRank
{
    /// <returns>[P, L] effective ranks.</returns>
    public static Tensor Compute(LayeredTensor parameters)
    {
        var ranks = new Tensor[parameters.Shape.Layers];
        for (int i = 0; i < ranks.Length; i++)
        {
            var sigma = linalg.svdvals(parameters.W(i));                              // [P, k]
            var p = sigma.div(sigma.sum(1, keepdim: true).clamp_min(1e-30));
            var entropy = p.mul(p.clamp_min(1e-30).log()).sum(1).neg();
            ranks[i] = entropy.exp();
        }
        return stack(ranks, 1);
    }
}
