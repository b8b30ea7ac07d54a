using static TorchSharp.torch;

namespace GradGuessCluster.Training.Model;

/// <summary>
/// The batched linear algebra of a pack. Layer 0 sees the same batch in every cell: it enters the batched matmuls as
/// a stride-0 view (never copied per cell).
/// </summary>
public static class PackLinear
{
    /// <summary>s = x Wᵀ (+ b). x: [B, F] (shared) or [P, B, n]; W: [P, o, n]; b: [P, o] or null. Result [P, B, o].</summary>
    public static Tensor Apply(Tensor x, Tensor w, Tensor? b)
    {
        var xs = PerCell(x, w.shape[0]);
        // With a bias the GEMM accumulates onto it (β = 1), which saves a separate pass over the output. (TorchSharp's
        // baddbmm is batch1.baddbmm(batch2, bias).)
        return b is null ? bmm(xs, w.transpose(1, 2)) : xs.baddbmm(w.transpose(1, 2), b.unsqueeze(1));
    }

    /// <summary>
    /// into[p] = Σ_b g_b x_bᵀ (or into[p] += it, with <paramref name="accumulate"/>) per cell, g: [P, B, o], x: [B, n]
    /// (shared) or [P, B, n], written by the GEMM straight into <paramref name="into"/> ([P, o, n], e.g. a view of a
    /// gradient buffer): no temporary, no copy, no zeroing pass. One GEMM per cell, because TorchSharp 0.107 has neither
    /// an in-place baddbmm_ nor bmm with an output tensor; addmm_ is the only matmul that writes into a given tensor.
    /// </summary>
    public static void OuterSumInto(Tensor g, Tensor x, Tensor into, bool accumulate = false)
    {
        for (long p = 0; p < g.shape[0]; p++)
            into[p].addmm_(g[p].t(), x.dim() == 2 ? x : x[p], beta: accumulate ? 1 : 0, alpha: 1);   // β = 0 ignores into's old values, NaN included
    }

    /// <summary>Pulls a cotangent back through W: g W per cell. g: [P, B, o]; W: [P, o, n]. Result [P, B, n].</summary>
    public static Tensor Pullback(Tensor g, Tensor w) => bmm(g, w);

    private static Tensor PerCell(Tensor x, long pack) => x.dim() == 2 ? x.expand(pack, x.shape[0], x.shape[1]) : x;
}
