using System.Diagnostics;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>The machine's own fp32 matmul peak: an n×n×n torch.mm, median over repeats, at the current thread count.</summary>
internal static class MatmulPeak
{
    public static (double Median, double Best) Measure(int n = 2048, int warmup = 2, int repeats = 15)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        for (int i = 0; i < warmup; i++) mm(a, b).Dispose();
        var rates = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using (mm(a, b)) { }
            rates.Add(2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9);
        }
        return (Stats.Median(rates), rates.Max());
    }
}
