using System.Globalization;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Planning;

/// <summary>How long a pack's whole run takes on one slot, for a plan's time estimate.</summary>
internal interface IPackClock
{
    /// <summary>Where the figure comes from, as the plan's time line says it: "at 65 GFLOP/s per slot".</summary>
    string Basis { get; }

    double Seconds(PackWorkload pack);
}

/// <summary>A slot that runs every matmul at one rate (the GFLOP/s column of <c>gradguess bench</c>).</summary>
internal sealed class FlopRateClock(double gflops) : IPackClock
{
    public string Basis => $"at {gflops.ToString("0.###", CultureInfo.InvariantCulture)} GFLOP/s per slot (matmuls only)";

    public double Seconds(PackWorkload pack) => pack.TotalFlops / (gflops * 1e9);
}

/// <summary>Times each pack configuration here with <see cref="PackSpeedProbe"/>, once per method, optimizer and pack
/// size (a pack's seed and learning rates do not change its cost), on this machine's CPU. With several slots, as many
/// probes run at once as the slots would keep busy on these cores, so that the time includes what they cost each other.</summary>
internal sealed class MeasuredClock : IPackClock
{
    private readonly Dictionary<(EstimatorKind Estimator, OptimizerKind Optimizer, int Cells), PackSpeed> _speeds = [];
    private readonly int _threads, _atOnce;

    public MeasuredClock(int threads, int steps, int slots = 1)
    {
        TorchRuntime.SetThreads(threads);
        (_threads, Steps) = (threads, steps);
        _atOnce = Math.Clamp(Math.Min(slots, Environment.ProcessorCount / threads), 1, slots);
    }

    public int Steps { get; }

    /// <summary>Called before each new pack configuration is timed (for progress on stderr).</summary>
    public Action<PackSpec>? Measuring { get; init; }

    /// <summary>Each configuration timed, with its speed.</summary>
    public IReadOnlyDictionary<(EstimatorKind Estimator, OptimizerKind Optimizer, int Cells), PackSpeed> Speeds => _speeds;

    public string Basis => $"measured here: {Steps} steps of each pack configuration" +
                           (_atOnce > 1 ? $", {_atOnce} at once" : "") +
                           $" on the CPU, {_threads} thread{(_threads == 1 ? "" : "s")} per slot";

    public double Seconds(PackWorkload pack)
    {
        var key = (pack.Spec.Estimator.Kind, pack.Spec.Cells[0].Optimizer.Kind, pack.Spec.PackSize);
        if (!_speeds.TryGetValue(key, out var speed))
        {
            Measuring?.Invoke(pack.Spec);
            var probes = Enumerable.Range(0, _atOnce).Select(_ => Task.Run(() => PackSpeedProbe.Measure(pack.Spec, pack.Data, CPU, Steps))).ToArray();
            Task.WaitAll(probes);
            _speeds[key] = speed = new PackSpeed(probes.Average(p => p.Result.SecondsPerStep), probes.Average(p => p.Result.EvalSecondsPerExample));
        }
        return pack.Seconds(speed);
    }
}
