using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>Mean cross-entropy of each cell and its gradient with respect to the logits.</summary>
public static class LossTerms
{
    /// <summary>Per-cell mean cross-entropy. logits [P, B, C], labels [B] → [P].</summary>
    public static Tensor Loss(Tensor logits, Tensor labels)
    {
        long p = logits.shape[0], b = logits.shape[1];
        var logp = logits.log_softmax(-1);
        return logp.gather(2, labels.view(1, b, 1).expand(p, b, 1)).squeeze(2).mean([1]).neg();
    }

    /// <summary>∂L/∂z = (softmax(z) − onehot(y)) / B, [P, B, C]: the error signal for backprop and for the
    /// per-example directional derivative d_b = ∂L/∂z_b · ż_b.</summary>
    public static Tensor LogitGradient(Tensor logits, Tensor labels)
    {
        long p = logits.shape[0], b = logits.shape[1];
        var g = logits.softmax(-1);
        g.scatter_add_(2, labels.view(1, b, 1).expand(p, b, 1), full(new long[] { p, b, 1 }, -1f, device: logits.device));
        return g.div_(b);
    }
}
