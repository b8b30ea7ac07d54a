using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Loop;

/// <summary>How fast one pack configuration trains and evaluates here, per step and per evaluated example.</summary>
/// <param name="Steps">The steps of the timed epoch.</param>
public sealed record PackSpeed(double SecondsPerStep, double EvalSecondsPerExample, int Steps = 0);

/// <summary>
/// Measures a pack's speed on this machine for a plan: a few short epochs of the pack's own configuration (method,
/// optimizer, model, batch and pack size) on seeded synthetic data of the real set's shape: a warm-up epoch, then a
/// timed one. A handful of steps says what a long run's epochs will cost, give or take; the bench is where speed is
/// measured carefully. Effective rank is left out: its SVDs cost the same however large the data, so they do not scale
/// like the evaluation they belong to.
/// </summary>
public static class PackSpeedProbe
{
    private const double ProbeLearningRate = 1e-6;   // small enough that no probe diverges (a NaN pack stops early)
    private const long MaxEvalBytes = 64L << 20;

    /// <param name="steps">Steps per epoch at most: fewer when the set holds fewer batches, so that a full-batch spec
    /// does not build a probe set many times the real one.</param>
    public static PackSpeed Measure(PackSpec spec, DataShape shape, Device device, int steps, CancellationToken cancellationToken)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "must be at least 1");
        int batch = (int)Math.Min(spec.BatchSize, shape.TrainCount);
        steps = (int)Math.Min(steps, SeededBatchOrder.BatchCount(shape.TrainCount, batch));
        int train = Math.Max(2, batch * steps), test = batch;
        using var data = SyntheticDataset.Create(train, test, Math.Max(2, shape.Features), seed: 1, device);
        var probe = spec with
        {
            Data = new DataSource(SyntheticDataset.Name, SyntheticTrain: train, SyntheticTest: test, SyntheticFeatures: shape.Features),
            BatchSize = batch,
            Epochs = 2,
            EvaluateEvery = 1,
            CosineEvery = 0,      // its cost is a backprop step, which the plan adds from the FLOP counts
            EffectiveRank = false,
            Cells = spec.Cells.Select(c => c with { Optimizer = c.Optimizer with { LearningRate = ProbeLearningRate } }).ToArray(),
        };
        using var trainer = new PackTrainer(probe, data, device);
        EpochMetrics? timed = null;   // the last epoch's: the first pays for allocations and cold caches
        while (!trainer.IsFinished)
            timed = trainer.RunEpoch(cancellationToken, rollBack: false).FirstOrDefault(m => m is not null) ?? timed;
        return new PackSpeed(timed!.Seconds / steps, EvalSecondsPerExample(trainer.Model, shape, device, cancellationToken), steps);
    }

    /// <summary>An evaluation streams the whole set through the model: timed on a set of the real one's size (up to
    /// <see cref="MaxEvalBytes"/>), since a small set that stays in the cache evaluates much faster per example.</summary>
    private static double EvalSecondsPerExample(MlpPack model, DataShape shape, Device device, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long rows = Math.Max(1, Math.Min(shape.TrainCount + shape.TestCount, MaxEvalBytes / (sizeof(float) * Math.Max(1, shape.Features))));
        using var scope = NewDisposeScope();
        var x = randn(rows, shape.Features, device: device);        // values do not change the time
        var y = zeros(rows, dtype: ScalarType.Int64, device: device);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Evaluator.Accuracy(model, x, y);
        return clock.Elapsed.TotalSeconds / rows;
    }
}
