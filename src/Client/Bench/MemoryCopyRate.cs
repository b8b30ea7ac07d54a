using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// The device's memory traffic rate: a 64 MiB fp32 tensor copied into another, in GB/s of bytes read plus written,
/// sampled beside the matmul peak after every round. On a shared VM another tenant's memory traffic slows a step's
/// memory-bound phases (the batch gather, the loss, the optimizer's passes) while the compute-bound, cache-resident
/// matmul peak barely moves (BENCHMARKS.md, 2026-12-04): a row that ran slow on a low copy rate ran under contention.
/// </summary>
internal sealed class MemoryCopyRate : IDisposable
{
    private const long Floats = 16L << 20;   // 64 MiB, 128 with its copy: past an EPYC's L3 (32 MiB a CCD, 96 with V-cache)
    private readonly Tensor _from, _to;
    private readonly Action? _synchronise;
    private readonly List<double> _samples = [];

    public MemoryCopyRate(BenchDevice device)
    {
        _synchronise = device.Synchronise;
        _from = rand(Floats, device: device.Device).DetachFromDisposeScope();
        _to = zeros(Floats, device: device.Device).DetachFromDisposeScope();   // written once now: no page faults in a sample
        Sample(repeats: 1, record: false);
    }

    /// <summary>Every sample taken so far, GB/s.</summary>
    public IReadOnlyList<double> Samples => _samples;

    /// <summary>The median rate of <paramref name="repeats"/> copies after an untimed one, GB/s.</summary>
    public double Sample(int repeats, bool record = true)
    {
        var rates = OpTimer.Seconds(() => _to.copy_(_from), repeats, warmup: 1, synchronise: _synchronise)
            .Select(s => 2.0 * Floats * sizeof(float) / s / 1e9).ToArray();
        var median = Stats.Median(rates);
        if (record) _samples.Add(median);
        return median;
    }

    public void Dispose()
    {
        _from.Dispose();
        _to.Dispose();
    }
}
