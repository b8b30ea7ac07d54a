using System.Runtime.InteropServices;
using GradGuessCluster.Training.Runtime;
using TorchSharp;
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
        using var s = new HeldScalars();
        var g = logits.softmax(-1);
        g.scatter_add_(2, labels.view(1, b, 1).expand(p, b, 1), full(new long[] { p, b, 1 }, s[-1.0], device: logits.device));
        return g.div_(s[b]);
    }

    /// <summary>
    /// <see cref="Loss"/> and <see cref="LogitGradient"/> together, as the training step needs them. On the CPU this is
    /// one managed pass over the [P, B, C] logits: the tensor-op route is a dozen tiny libtorch ops whose dispatch cost
    /// ~7 % of a single cell's step at batch 128. Other devices take the tensor-op route.
    /// </summary>
    public static (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor logits, Tensor labels)
    {
        if (logits.device_type != DeviceType.CPU || logits.dtype != ScalarType.Float32 || labels.dtype != ScalarType.Int64
            || !logits.is_contiguous() || !labels.is_contiguous() || logits.NumberOfElements * sizeof(float) > int.MaxValue)   // one span each
            return (Loss(logits, labels), LogitGradient(logits, labels));
        int p = (int)logits.shape[0], b = (int)logits.shape[1], c = (int)logits.shape[2];
        var loss = empty(p, dtype: ScalarType.Float32);
        var gradient = empty_like(logits);
        Fused(MemoryMarshal.Cast<byte, float>(logits.bytes), MemoryMarshal.Cast<byte, long>(labels.bytes),
            MemoryMarshal.Cast<byte, float>(loss.bytes), MemoryMarshal.Cast<byte, float>(gradient.bytes), p, b, c);
        return (loss, gradient);
    }

    /// <summary>Per row: m = max z, lse = m + ln Σ exp(z − m); loss += lse − z_y; g = (exp(z − lse) − 1[k = y]) / B.</summary>
    private static void Fused(ReadOnlySpan<float> z, ReadOnlySpan<long> y, Span<float> loss, Span<float> g, int p, int b, int c)
    {
        for (int e = 0; e < b; e++)                                                 // the pack shares the labels: check them once
            if ((ulong)y[e] >= (ulong)c) throw new ArgumentException($"label {y[e]} of example {e} is outside 0..{c - 1}");
        float invB = 1f / b;
        for (int cell = 0; cell < p; cell++)
        {
            double sum = 0;
            for (int e = 0; e < b; e++)
            {
                int row = (cell * b + e) * c;
                int label = (int)y[e];
                var zr = z.Slice(row, c);
                var gr = g.Slice(row, c);
                float max = float.NegativeInfinity;
                foreach (var v in zr) max = MathF.Max(max, v);
                float total = 0;
                for (int k = 0; k < c; k++) total += MathF.Exp(zr[k] - max);
                float lse = max + MathF.Log(total);
                for (int k = 0; k < c; k++) gr[k] = MathF.Exp(zr[k] - lse) * invB;
                gr[label] -= invB;
                sum += lse - zr[label];
            }
            loss[cell] = (float)(sum / b);
        }
    }
}
