using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// Forward-mode JVP of the loss, by hand (TorchSharp has no forward-mode AD): propagate tangents
/// ṡ_i = W_i ẋ_i + Ẇ_i x_i + ḃ_i + ŝ_i, ẋ_{i+1} = D_i ṡ_i, and read the per-example directional derivative
/// d_b = ∂L/∂z_b · ż_b (which carries the 1/B of the mean loss). The data has no tangent, so ẋ_0 = 0.
/// </summary>
public static class TangentPass
{
    /// <param name="weightTangent">Ẇ, ḃ for every layer, or null.</param>
    /// <param name="injected">ŝ_i [P, B, n_i] per layer (null entries: nothing injected there), or null.</param>
    /// <param name="equalTangents">Optional: for each cell, a cell whose weight tangent equals its own (itself if
    /// none; e.g. <see cref="GuessStreams.SharedWith"/>). Layer 0's input is the batch all cells share, so its term
    /// Ẇ_0 x_0 + ḃ_0 is then computed once per distinct tangent: layer 0 is most of the pass's FLOPs.</param>
    /// <returns>d [P, B]; Σ_b d_b is the directional derivative of the cell's mean loss.</returns>
    public static Tensor PerExample(MlpPack model, ForwardCache fwd, Tensor logitGradient,
        LayeredTensor? weightTangent, IReadOnlyList<Tensor?>? injected, IReadOnlyList<int>? equalTangents = null)
    {
        Tensor? tx = null;                                                           // ẋ_i
        Tensor? ts = null;                                                           // ṡ_i
        int layers = model.Shape.Layers;
        for (int i = 0; i < layers; i++)
        {
            ts = tx is null ? null : PackLinear.Apply(tx, model.Parameters.W(i), null);
            if (weightTangent is not null)
            {
                var t = i == 0 && fwd.Inputs[0].dim() == 2 && SomeShared(equalTangents)
                    ? SharedInputTerm(fwd.Inputs[0], weightTangent.W(0), weightTangent.B(0), equalTangents!)
                    : PackLinear.Apply(fwd.Inputs[i], weightTangent.W(i), weightTangent.B(i));
                ts = ts is null ? t : ts.add_(t, Scalars.One);
            }
            if (injected?[i] is { } s)
                ts = ts is null ? s : ts.add(s, Scalars.One);
            if (i < layers - 1)
                tx = ts?.mul(fwd.Masks[i]);
        }
        if (ts is null)
            return zeros(logitGradient.shape[0], logitGradient.shape[1], device: logitGradient.device);
        return logitGradient.mul(ts).sum(-1);                                        // [P, B]
    }

    private static bool SomeShared(IReadOnlyList<int>? equalTangents) =>
        equalTangents is not null && equalTangents.Distinct().Count() < equalTangents.Count;

    /// <summary>Ẇ_0 x_0 + ḃ_0 for a batch x_0 [B, F] all cells share, once per distinct tangent: [P, B, n_0]. Where
    /// every cell has the same tangent the result is a broadcast view (nothing later writes into it in place).</summary>
    private static Tensor SharedInputTerm(Tensor x0, Tensor w, Tensor b, IReadOnlyList<int> equalTangents)
    {
        var once = new Dictionary<int, Tensor>();
        var perCell = new Tensor[equalTangents.Count];
        for (int p = 0; p < perCell.Length; p++)
        {
            int q = equalTangents[p];
            if (!once.TryGetValue(q, out var t))
                once[q] = t = PackLinear.Apply(x0, w.narrow(0, q, 1), b.narrow(0, q, 1));   // [1, B, n_0]
            perCell[p] = t;
        }
        return once.Count == 1 ? perCell[0].expand(perCell.Length, -1, -1) : cat(perCell, 0);
    }
}
