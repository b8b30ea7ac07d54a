using GradGuessCluster.Training.Runtime;
using TorchSharp;
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
    /// (shared) or [P, B, n]; <paramref name="into"/> is [P, o, n], e.g. a view of a gradient buffer.
    /// </summary>
    public static void OuterSumInto(Tensor g, Tensor x, Tensor into, bool accumulate = false)
    {
        if (g.shape[0] > 1 && OneGemmPays(g.device))
            OuterSumBatched(g, x, into, accumulate);
        else
            OuterSumPerCell(g, x, into, accumulate);
    }

    /// <summary>
    /// One GEMM per cell, written straight into <paramref name="into"/>: no temporary, no copy, no zeroing pass (β = 0
    /// ignores into's old values, NaN included). TorchSharp 0.107 has neither an in-place baddbmm_ nor bmm with an
    /// output tensor; addmm_ is the only matmul that writes into a given tensor.
    /// </summary>
    internal static void OuterSumPerCell(Tensor g, Tensor x, Tensor into, bool accumulate)
    {
        for (long p = 0; p < g.shape[0]; p++)
            into[p].addmm_(g[p].t(), x.dim() == 2 ? x : x[p], beta: accumulate ? 1 : 0, alpha: 1);
    }

    /// <summary>
    /// The whole pack in one GEMM (a shared x: the cells' gᵀ stacked into one [P·o, B] matrix) or one batched GEMM,
    /// into a temporary that is then copied or added into <paramref name="into"/> (whose cells are rows of a [P, N]
    /// buffer, not one matrix). One large GEMM keeps several threads (or a GPU) busy where P small ones do not.
    /// </summary>
    internal static void OuterSumBatched(Tensor g, Tensor x, Tensor into, bool accumulate)
    {
        using var scope = NewDisposeScope();
        long pack = g.shape[0], outputs = g.shape[2];
        var sum = x.dim() == 2
            ? mm(g.transpose(1, 2).reshape(pack * outputs, g.shape[1]), x).view(pack, outputs, x.shape[1])
            : bmm(g.transpose(1, 2), x);
        if (accumulate) into.add_(sum, Scalars.One);
        else into.copy_(sum);
    }

    /// <summary>
    /// Measured with the bench (docs/BENCHMARKS.md): on one CPU thread the per-cell GEMMs already run at the core's peak
    /// and the temporary's copy only costs; with two threads the one large GEMM is faster. On a GPU it is one kernel
    /// launch instead of P (not measured: no GPU here).
    /// </summary>
    private static bool OneGemmPays(Device device) => device.type != DeviceType.CPU || get_num_threads() > 1;

    /// <summary>Pulls a cotangent back through W: g W per cell. g: [P, B, o]; W: [P, o, n]. Result [P, B, n].</summary>
    public static Tensor Pullback(Tensor g, Tensor w) => bmm(g, w);

    private static Tensor PerCell(Tensor x, long pack) => x.dim() == 2 ? x.expand(pack, x.shape[0], x.shape[1]) : x;
}
