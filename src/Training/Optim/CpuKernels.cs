using System.Numerics;
using System.Runtime.InteropServices;
using GradGuessCluster.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>
/// Fused single-pass optimizer updates over CPU tensor memory (SIMD via <see cref="Vector{T}"/>). libtorch needs
/// 7–8 separate element-wise passes for one AdamW step; on one thread those passes cost as much as a small MLP's
/// matmuls, so fusing them is what lets packs of cells beat separate runs. GPU tensors take the tensor-op path.
/// </summary>
internal static class CpuKernels
{
    /// <summary>Off in tests that pin the tensor-op path.</summary>
    public static bool Enabled { get; set; } = true;

    /// <summary>Float32 only: <see cref="Floats"/> reads the bytes as floats, whatever the tensor holds.</summary>
    public static bool Applies(Tensor t) => Enabled && t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32 && t.is_contiguous();

    /// <summary>A contiguous float32 CPU tensor's memory (zero-copy): at most 2 GiB, so callers pass chunks
    /// (<see cref="HostChunks"/>) of anything larger.</summary>
    public static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>θ ← θ·decay; m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; θ ← θ − step · m / (√v + eps).</summary>
    public static void AdamW(Span<float> theta, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float decay, float beta1, float beta2, float step, float eps)
    {
        int n = theta.Length, w = Vector<float>.Count, i = 0;
        var (vd, vb1, vc1, vb2, vc2, vs, ve) = (new Vector<float>(decay), new Vector<float>(beta1), new Vector<float>(1 - beta1),
            new Vector<float>(beta2), new Vector<float>(1 - beta2), new Vector<float>(step), new Vector<float>(eps));
        for (; i <= n - w; i += w)
        {
            var gi = new Vector<float>(g.Slice(i, w));
            var mi = vb1 * new Vector<float>(m.Slice(i, w)) + vc1 * gi;
            var vi = vb2 * new Vector<float>(v.Slice(i, w)) + vc2 * gi * gi;
            var ti = vd * new Vector<float>(theta.Slice(i, w)) - vs * mi / (Vector.SquareRoot(vi) + ve);
            mi.CopyTo(m.Slice(i, w));
            vi.CopyTo(v.Slice(i, w));
            ti.CopyTo(theta.Slice(i, w));
        }
        for (; i < n; i++)
        {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            theta[i] = decay * theta[i] - step * m[i] / (MathF.Sqrt(v[i]) + eps);
        }
    }

    /// <summary>First half of StableAdamW: v ← β̂1 v + (1−β̂1) g; u ← β̂2 u + (1−β̂2) g²; returns Σ g² / max(u, ε²).</summary>
    public static double StableMoments(ReadOnlySpan<float> g, Span<float> v, Span<float> u, float beta1, float beta2, float epsSquared)
    {
        int n = g.Length, w = Vector<float>.Count, i = 0;
        var (vb1, vc1, vb2, vc2, ve) = (new Vector<float>(beta1), new Vector<float>(1 - beta1), new Vector<float>(beta2),
            new Vector<float>(1 - beta2), new Vector<float>(epsSquared));
        var acc = Vector<float>.Zero;
        double sum = 0;
        // A float lane stops counting terms near 1 at 2^24 and drifts long before (0.1f added a million times makes about
        // 100958): over a large tensor (a wide model's layer) the running sum goes to double every 2^12 vectors. Tensors
        // of fewer than 2^16 vectors, the study's, sum in their lanes as they always did, bit for bit.
        int flushEvery = n >= w << 16 ? 1 << 12 : int.MaxValue;
        for (int added = 0; i <= n - w; i += w)
        {
            var gi = new Vector<float>(g.Slice(i, w));
            var g2 = gi * gi;
            var vi = vb1 * new Vector<float>(v.Slice(i, w)) + vc1 * gi;
            var ui = vb2 * new Vector<float>(u.Slice(i, w)) + vc2 * g2;
            acc += g2 / Vector.Max(ui, ve);
            vi.CopyTo(v.Slice(i, w));
            ui.CopyTo(u.Slice(i, w));
            if (++added == flushEvery)
            {
                sum += Vector.Sum(acc);
                (acc, added) = (Vector<float>.Zero, 0);
            }
        }
        sum += Vector.Sum(acc);
        for (; i < n; i++)
        {
            float g2 = g[i] * g[i];
            v[i] = beta1 * v[i] + (1 - beta1) * g[i];
            u[i] = beta2 * u[i] + (1 - beta2) * g2;
            sum += g2 / MathF.Max(u[i], epsSquared);
        }
        return sum;
    }

    /// <summary>Second half of StableAdamW: θ ← θ·decay − η v / (√u + ε).</summary>
    public static void StableApply(Span<float> theta, ReadOnlySpan<float> v, ReadOnlySpan<float> u, float decay, float eta, float eps)
    {
        int n = theta.Length, w = Vector<float>.Count, i = 0;
        var (vd, vn, ve) = (new Vector<float>(decay), new Vector<float>(eta), new Vector<float>(eps));
        for (; i <= n - w; i += w)
        {
            var ti = vd * new Vector<float>(theta.Slice(i, w)) - vn * new Vector<float>(v.Slice(i, w)) / (Vector.SquareRoot(new Vector<float>(u.Slice(i, w))) + ve);
            ti.CopyTo(theta.Slice(i, w));
        }
        for (; i < n; i++) theta[i] = decay * theta[i] - eta * v[i] / (MathF.Sqrt(u[i]) + eps);
    }
}
