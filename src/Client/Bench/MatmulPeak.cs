using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// The machine's own fp32 matmul rate: an n×n×n torch.mm at the current thread count. On a shared VM this rate drifts
/// by a quarter or more within minutes, so the bench samples it between the rounds of epochs it is compared with,
/// instead of once at the start.
/// </summary>
internal sealed class MatmulPeak : IDisposable
{
    private readonly Tensor _a, _b;
    private readonly List<double> _samples = [];

    public MatmulPeak(int n = 2048)
    {
        Size = n;
        _a = randn(n, n).DetachFromDisposeScope();
        _b = randn(n, n).DetachFromDisposeScope();
        OpTimer.Seconds(() => mm(_a, _b), repeats: 0, warmup: 2);                   // warm-up: pages, thread pool
    }

    public int Size { get; }

    /// <summary>Every sample taken so far, GFLOP/s.</summary>
    public IReadOnlyList<double> Samples => _samples;

    /// <summary>The median rate of <paramref name="repeats"/> matmuls, GFLOP/s; recorded in <see cref="Samples"/>.</summary>
    public double Sample(int repeats)
    {
        var rates = OpTimer.Seconds(() => mm(_a, _b), repeats).Select(s => 2.0 * Size * Size * Size / s / 1e9).ToArray();
        var median = Stats.Median(rates);
        _samples.Add(median);
        return median;
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
