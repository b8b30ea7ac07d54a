using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>The true gradient by a hand-written backward pass: δ_L = ∂L/∂z, δ_i = D_i W_{i+1}ᵀ δ_{i+1},
/// ∂L/∂W_i = Σ_b δ_{i,b} x_{i,b}ᵀ, ∂L/∂b_i = Σ_b δ_{i,b}. Checked against autograd in the tests.</summary>
public static class Backprop
{
    /// <summary>Writes the gradient of every cell's mean loss into <paramref name="into"/>.</summary>
    /// <param name="accumulate">Add it to what <paramref name="into"/> holds instead (a gradient summed over chunks).</param>
    /// <param name="atLayer">Given each layer's δ_i [P, B, n_i] on the way down, output layer first (inspection's backward
    /// signal).</param>
    public static void Gradient(MlpPack model, ForwardCache fwd, Tensor logitGradient, LayeredTensor into, bool accumulate = false,
        Action<int, Tensor>? atLayer = null)
    {
        var delta = logitGradient;                                                   // δ_{L-1} [P, B, C]
        for (int i = model.Shape.Layers - 1; i >= 0; i--)
        {
            atLayer?.Invoke(i, delta);
            PackLinear.OuterSumInto(delta, fwd.Inputs[i], into.W(i), accumulate);
            if (accumulate) into.B(i).add_(delta.sum(1), Scalars.One);
            else into.B(i).copy_(delta.sum(1));
            if (i > 0)
                delta = PackLinear.Pullback(delta, model.Parameters.W(i)).mul_(fwd.Masks[i - 1]);   // δ_{i-1}
        }
    }
}
