using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Diagnostics;

/// <summary>
/// Where a vector's length lies, per cell: each linear layer's (W_i and b_i together) fraction of its squared norm. The
/// fractions sum to 1, and the overall cosine of two vectors is Σ_l cos_l·√(a_l·b_l) over their fractions a and b: a step
/// can be aligned with the gradient inside every layer and not overall, when it puts its length in other layers than the
/// gradient does (AdamW's step in each coordinate is about its learning rate, so it goes where the parameters are).
/// </summary>
public static class LayerShares
{
    private static readonly Scalar SmallestNormal = 1.17549435e-38f.ToScalar();   // float32's smallest normal number

    /// <param name="squares">Each layer's squared norm, [P, L] (<see cref="LayerProducts"/> has them).</param>
    /// <returns>[P, L] (on the tensor's device); all 0 for a zero vector. A sum of its own parts: no ratio here can
    /// underflow but a zero vector's, which the clamp keeps at 0.</returns>
    public static Tensor Of(Tensor squares) => squares.div(squares.sum(1, keepdim: true).clamp_min_(SmallestNormal));
}
