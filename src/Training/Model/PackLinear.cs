using static TorchSharp.torch;

namespace GradGuessCluster.Training.Model;

/// <summary>
/// The batched linear algebra of a pack. Layer 0 sees the same batch in every cell, so its matmuls run as one
/// wide GEMM over all P cells' rows instead of P small ones.
/// </summary>
public static class PackLinear
{
    /// <summary>s = x Wᵀ (+ b). x: [B, F] (shared) or [P, B, n]; W: [P, o, n]; b: [P, o] or null. Result [P, B, o].</summary>
    public static Tensor Apply(Tensor x, Tensor w, Tensor? b)
    {
        long p = w.shape[0], o = w.shape[1], n = w.shape[2];
        if (x.dim() == 2)
        {
            // [B, F] · [F, P·o] → [B, P, o] → [P, B, o]
            var s = mm(x, w.reshape(p * o, n).t()).view(x.shape[0], p, o).permute(1, 0, 2);
            return b is null ? s : s.add(b.unsqueeze(1));
        }
        var r = bmm(x, w.transpose(1, 2));
        return b is null ? r : r.add_(b.unsqueeze(1));
    }

    /// <summary>Σ_b g_b x_bᵀ per cell. g: [P, B, o]; x: [B, F] (shared) or [P, B, n]. Result [P, o, n].</summary>
    public static Tensor OuterSum(Tensor g, Tensor x)
    {
        long p = g.shape[0], batch = g.shape[1], o = g.shape[2];
        if (x.dim() == 2)
            return mm(g.permute(0, 2, 1).reshape(p * o, batch), x).view(p, o, x.shape[1]);
        return bmm(g.transpose(1, 2), x);
    }

    /// <summary>Pulls a cotangent back through W: g W per cell. g: [P, B, o]; W: [P, o, n]. Result [P, B, n].</summary>
    public static Tensor Pullback(Tensor g, Tensor w) => bmm(g, w);
}
