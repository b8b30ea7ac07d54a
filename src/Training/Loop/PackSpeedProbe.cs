using GradGuessCluster.Training.Data;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Loop;

/// <summary>How fast one pack configuration trains and evaluates here, per step and per evaluated example.</summary>
public sealed record PackSpeed(double SecondsPerStep, double EvalSecondsPerExample);

/// <summary>
/// Measures a pack's speed on this machine for a plan: a few short epochs of the pack's own configuration (method,
/// optimizer, model, batch and pack size) on seeded synthetic data of the real set's shape: a warm-up epoch, then a
/// timed one. A handful of steps says what a long run's epochs will cost, give or take; the bench is where speed is
/// measured carefully.
/// </summary>
public static class PackSpeedProbe
{
    private const double ProbeLearningRate = 1e-6;   // small enough that no probe diverges (a NaN pack stops early)

    public static PackSpeed Measure(PackSpec spec, DataShape shape, Device device, int steps = 16)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "must be at least 1");
        int batch = (int)Math.Min(spec.BatchSize, shape.TrainCount), train = batch * steps, test = batch;
        using var data = SyntheticDataset.Create(train, test, Math.Max(2, shape.Features), seed: 1, device);
        var probe = spec with
        {
            Data = new DataSource(SyntheticDataset.Name, SyntheticTrain: train, SyntheticTest: test, SyntheticFeatures: shape.Features),
            BatchSize = batch,
            Epochs = 2,
            EvaluateEvery = 1,
            CosineEvery = 0,      // its cost is a backprop step, which the plan adds from the FLOP counts
            Cells = spec.Cells.Select(c => c with { Optimizer = c.Optimizer with { LearningRate = ProbeLearningRate } }).ToArray(),
        };
        using var trainer = new PackTrainer(probe, data, device);
        var timed = new List<EpochMetrics>();
        while (!trainer.IsFinished)
            if (trainer.RunEpoch(CancellationToken.None).FirstOrDefault(m => m is not null) is { } m) timed.Add(m);
        var warm = timed[^1];    // the first epoch pays for allocations and cold caches
        return new PackSpeed(warm.Seconds / steps, warm.EvalSeconds / (train + test));
    }
}
