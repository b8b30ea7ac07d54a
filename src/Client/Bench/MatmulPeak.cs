using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// The device's own fp32 matmul rate: an n×n×n torch.mm, on the CPU at the current thread count. On a shared VM this
/// rate drifts by a quarter or more within minutes, so the bench samples it between the rounds of epochs it is compared
/// with, instead of once at the start. A GPU gets a larger n: 2048³ is over in a fraction of a millisecond there.
/// </summary>
internal sealed class MatmulPeak : IDisposable
{
    private readonly Tensor _a, _b;
    private readonly Action? _synchronise;
    private readonly List<double> _samples = [];

    public MatmulPeak(BenchDevice device)
    {
        int n = Size = device.IsCuda ? 8192 : 2048;
        _synchronise = device.Synchronise;
        _a = randn(n, n, device: device.Device).DetachFromDisposeScope();
        _b = randn(n, n, device: device.Device).DetachFromDisposeScope();
        OpTimer.Seconds(() => mm(_a, _b), repeats: 0, warmup: 2, _synchronise);   // warm-up: pages, thread pool, cuBLAS
    }

    public int Size { get; }

    /// <summary>Every sample taken so far, GFLOP/s.</summary>
    public IReadOnlyList<double> Samples => _samples;

    /// <summary>The median rate of <paramref name="repeats"/> matmuls after an untimed one, GFLOP/s; recorded in
    /// <see cref="Samples"/> unless <paramref name="record"/> is false. The untimed one because right after an epoch the
    /// operands are out of the caches, and two timed matmuls, cold first, made a fragile median (in the record of
    /// 2026-11-29 the first method's rounds sampled 66 and 77 GFLOP/s where the run's median was 83).</summary>
    public double Sample(int repeats, bool record = true)
    {
        var rates = OpTimer.Seconds(() => mm(_a, _b), repeats, warmup: 1, synchronise: _synchronise).Select(s => 2.0 * Size * Size * Size / s / 1e9).ToArray();
        var median = Stats.Median(rates);
        if (record) _samples.Add(median);
        return median;
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
