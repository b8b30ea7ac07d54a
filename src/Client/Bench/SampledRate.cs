using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// A rate of the device that the bench samples between rounds of epochs (<see cref="MatmulPeak"/>,
/// <see cref="MemoryCopyRate"/>): one op on two operands held for the whole run, in giga-units of work a second.
/// </summary>
/// <param name="a">First operand; disposed with this.</param>
/// <param name="b">Second operand; disposed with this.</param>
/// <param name="workPerRun">Units of work one run of <paramref name="op"/> does (FLOPs, bytes).</param>
internal abstract class SampledRate(Tensor a, Tensor b, Func<Tensor, Tensor, Tensor> op, double workPerRun, Action? synchronise)
    : IDisposable
{
    private readonly List<double> _samples = [];

    /// <summary>Every sample taken so far.</summary>
    public IReadOnlyList<double> Samples => _samples;

    /// <summary>The median rate of <paramref name="repeats"/> runs after an untimed one; recorded in <see cref="Samples"/>
    /// unless <paramref name="record"/> is false. The untimed one because right after an epoch the operands are out of the
    /// caches, and two timed matmuls, cold first, made a fragile median (in the record of 2026-11-29 the first method's
    /// rounds sampled 66 and 77 GFLOP/s where the run's median was 83).</summary>
    public double Sample(int repeats, bool record = true)
    {
        var rates = OpTimer.Seconds(() => op(a, b), repeats, warmup: 1, synchronise).Select(s => workPerRun / s / 1e9).ToArray();
        var median = Stats.Median(rates);
        if (record) _samples.Add(median);
        return median;
    }

    /// <summary>Untimed runs, once the operands exist: pages, thread pools, cuBLAS.</summary>
    protected void WarmUp(int runs) => OpTimer.Seconds(() => op(a, b), repeats: 0, warmup: runs, synchronise);

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
    }
}
