using GradGuessCluster.Training.Model;
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
    /// <returns>d [P, B]; Σ_b d_b is the directional derivative of the cell's mean loss.</returns>
    public static Tensor PerExample(MlpPack model, ForwardCache fwd, Tensor logitGradient,
        LayeredTensor? weightTangent, IReadOnlyList<Tensor?>? injected)
    {
        Tensor? tx = null;                                                           // ẋ_i
        Tensor? ts = null;                                                           // ṡ_i
        int layers = model.Shape.Layers;
        for (int i = 0; i < layers; i++)
        {
            ts = tx is null ? null : PackLinear.Apply(tx, model.Parameters.W(i), null);
            if (weightTangent is not null)
            {
                var t = PackLinear.Apply(fwd.Inputs[i], weightTangent.W(i), weightTangent.B(i));
                ts = ts is null ? t : ts.add_(t);
            }
            if (injected?[i] is { } s)
                ts = ts is null ? s : ts.add(s);
            if (i < layers - 1)
                tx = ts?.mul(fwd.Masks[i]);
        }
        if (ts is null)
            return zeros(logitGradient.shape[0], logitGradient.shape[1], device: logitGradient.device);
        return logitGradient.mul(ts).sum(-1);                                        // [P, B]
    }
}
