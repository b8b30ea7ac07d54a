using System.Globalization;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Planning;

/// <summary>How long a pack's whole run takes on one slot, for a plan's time estimate.</summary>
internal interface IPackTimeEstimate
{
    /// <summary>Where the figure comes from, as the plan's time line says it: "at 65 GFLOP/s per slot".</summary>
    string Basis { get; }

    /// <param name="atOnce">Packs that will train at the same time (slots in use): what they cost each other counts.</param>
    double Seconds(PackWorkload pack, int atOnce);

    /// <summary>The speeds measured for the estimate, one per pack configuration (none for a rate).</summary>
    IReadOnlyList<MeasuredSpeed> Measured => [];

    /// <summary>The slots are GPUs (the packs were timed on one).</summary>
    bool OnGpu => false;
}

/// <summary>A pack configuration's measured speed, as <c>plan --measure --json</c> lists it.</summary>
/// <param name="SecondsPerEpoch">Of its training pass on the real set (evaluation excluded).</param>
internal sealed record MeasuredSpeed(string Method, string Optimizer, int Cells, double SecondsPerStep, double EvalSecondsPerExample,
    double SecondsPerEpoch);

/// <summary>A slot that runs every matmul at one rate (the GFLOP/s column of <c>gradguess bench</c>).</summary>
internal sealed class FlopRateEstimate(double gflops) : IPackTimeEstimate
{
    public string Basis => $"at {gflops.ToString("0.###", CultureInfo.InvariantCulture)} GFLOP/s per slot (matmuls only)";

    public double Seconds(PackWorkload pack, int atOnce) => pack.TotalFlops / (gflops * 1e9);
}

/// <summary>Times each pack configuration here with <see cref="PackSpeedProbe"/>, once per method, optimizer and pack
/// size (a pack's seed and learning rates do not change its cost). On the CPU as many probes run at once as packs would
/// (capped by the cores), so that the time includes what they cost each other. On a GPU one probe runs: each GPU slot
/// trains one pack, and the plan takes the slots for GPUs like this one.</summary>
internal sealed class MeasuredEstimate(int threads, int steps, Device device, CancellationToken cancellationToken) : IPackTimeEstimate
{
    private readonly Dictionary<(EstimatorKind Estimator, OptimizerKind Optimizer, int Cells), PackSpeed> _speeds = [];
    private int _atOnce = 1;

    /// <summary>Called before each new pack configuration is timed (for progress on stderr).</summary>
    public Action<PackSpec>? Measuring { get; init; }

    /// <summary>Each configuration timed, with its speed.</summary>
    public IReadOnlyDictionary<(EstimatorKind Estimator, OptimizerKind Optimizer, int Cells), PackSpeed> Speeds => _speeds;

    public IReadOnlyList<MeasuredSpeed> Measured => _measured;

    private readonly List<MeasuredSpeed> _measured = [];

    public string Basis => $"measured here: {steps} steps of each pack configuration" + (_atOnce > 1 ? $", {_atOnce} at once" : "") +
                           (OnGpu ? $" on {device}, one pack per GPU slot" : $" on the CPU, {threads} thread{(threads == 1 ? "" : "s")} per slot");

    public bool OnGpu => device.type != TorchSharp.DeviceType.CPU;

    public double Seconds(PackWorkload pack, int atOnce)
    {
        _atOnce = OnGpu ? 1 : Math.Clamp(Math.Min(atOnce, Environment.ProcessorCount / threads), 1, Math.Max(1, atOnce));
        var key = (pack.Spec.Estimator.Kind, pack.Spec.Cells[0].Optimizer.Kind, pack.Spec.PackSize);
        if (!_speeds.TryGetValue(key, out var speed))
        {
            Measuring?.Invoke(pack.Spec);
            // libtorch's intra-op thread count is per thread: each probe sets it on the pool thread it runs on.
            var probes = Enumerable.Range(0, _atOnce).Select(_ => Task.Run(() =>
            {
                TorchRuntime.SetThreads(threads);
                return PackSpeedProbe.Measure(pack.Spec, pack.Data, device, steps, cancellationToken);
            }, cancellationToken)).ToArray();
            var speeds = Task.WhenAll(probes).GetAwaiter().GetResult();
            _speeds[key] = speed = new PackSpeed(speeds.Average(s => s.SecondsPerStep), speeds.Average(s => s.EvalSecondsPerExample), speeds[0].Steps);
            _measured.Add(new MeasuredSpeed(EstimatorNames.Name(pack.Spec.Estimator.Kind), OptimizerNames.Name(pack.Spec.Cells[0].Optimizer.Kind), pack.Spec.PackSize,
                speed.SecondsPerStep, speed.EvalSecondsPerExample, speed.SecondsPerStep * pack.StepsPerEpoch));
        }
        return pack.Seconds(speed);
    }
}
