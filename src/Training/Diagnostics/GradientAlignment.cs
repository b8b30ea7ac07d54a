using GradGuessCluster.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Diagnostics;

/// <summary>
/// How an update relates to the true gradient g beyond its cosine, per cell over all parameters: its projection on g in
/// units of g, ⟨u,g⟩/‖g‖² (1 for backprop and the matched-noise oracle, 1 in expectation for an unbiased guess; past 1 a
/// guess steps further along g than the gradient would, like a larger learning rate), and its length in units of g,
/// ‖u‖/‖g‖. Over many steps, mean projection / RMS length is the cosine an optimizer that scales by the update's second
/// moment (AdamW) sees: the mean cosine of steps whose lengths vary can be far above it (docs/STUDY.md).
/// </summary>
public static class GradientAlignment
{
    private static readonly Scalar SmallestNormal = 1.17549435e-38f.ToScalar();   // float32's smallest normal number

    /// <returns>Projection and squared length, each [P] (on the tensors' device).</returns>
    public static (Tensor Projection, Tensor SquaredLength) Compute(LayeredTensor update, LayeredTensor gradient)
    {
        // Ratios of sums, never products of them: no small norm multiplies another (the cosine's underflow). A zero
        // gradient gives a projection of 0 and an infinite length, which the summaries leave out as not finite.
        var gg = gradient.Flat.mul(gradient.Flat).sum(1).clamp_min_(SmallestNormal);
        return (update.Flat.mul(gradient.Flat).sum(1).div_(gg), update.Flat.mul(update.Flat).sum(1).div_(gg));
    }
}
