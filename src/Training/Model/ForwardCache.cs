using static TorchSharp.torch;

namespace GradGuessCluster.Training.Model;

/// <summary>What one forward pass of a pack leaves behind for the estimators (all tensors live in the caller's
/// dispose scope).</summary>
/// <param name="Inputs">x_i, the input of linear layer i: x_0 is the batch [B, F] shared by the pack; x_i for
/// i ≥ 1 is ReLU(s_{i-1}) [P, B, n_{i-1}].</param>
/// <param name="PreActivations">s_i [P, B, n_i]; the last one is the logits z.</param>
/// <param name="Masks">D_i = 1[s_i &gt; 0] as float [P, B, n_i] for the hidden layers (Length = layers − 1).</param>
public sealed record ForwardCache(Tensor[] Inputs, Tensor[] PreActivations, Tensor[] Masks)
{
    public Tensor Logits => PreActivations[^1];
    public long BatchSize => Inputs[0].shape[0];
}
