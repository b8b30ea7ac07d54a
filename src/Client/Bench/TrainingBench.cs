using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// Times the epoch loop (training pass only; evaluation excluded) of each method at each batch and pack size.
/// </summary>
/// <param name="phases">Also time each phase of a step (<see cref="PackTrainer.PhaseMark"/>).</param>
internal sealed class TrainingBench(
    Dataset data, BenchDevice device, PackSpec template, int warmupEpochs, int timedEpochs, MatmulPeak peak, MemoryCopyRate copy, bool phases)
{
    public event Action<string>? Progress;

    /// <summary>
    /// Times one method at one batch size for every pack size. The configurations' epochs are interleaved
    /// (pack 1, pack 4, pack 1, ...), so a shared machine's drift in speed over minutes affects every pack size alike
    /// and the packing ratio compares like with like. The matmul peak and the memory copy rate are sampled after every
    /// timed round, and each configuration's % of peak and copy rate use the medians of those samples.
    /// </summary>
    public IReadOnlyList<TrainingBenchResult> Run(EstimatorKind method, int batchSize, IReadOnlyList<int> packSizes,
        CancellationToken cancellationToken)
    {
        var trainers = new List<PackTrainer>();
        try
        {
            foreach (var pack in packSizes) trainers.Add(new PackTrainer(Spec(method, batchSize, pack), data, device.Device));
            var times = packSizes.Select(_ => new List<double>()).ToArray();
            var clocks = phases ? trainers.Select(_ => new PhaseClock(device.Synchronise)).ToArray() : null;
            var phaseSamples = packSizes.Select(_ => new List<Dictionary<StepPhase, double>>()).ToArray();
            for (int c = 0; c < trainers.Count && clocks is not null; c++) trainers[c].PhaseMark = clocks[c].Mark;
            List<double> peaks = [], copies = [];
            for (int e = 0; e < warmupEpochs + timedEpochs; e++)
            {
                for (int c = 0; c < trainers.Count; c++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    clocks?[c].Restart();
                    var record = trainers[c].RunEpoch(cancellationToken, rollBack: false).First(r => r is not null)!;
                    if (e < warmupEpochs) continue;
                    times[c].Add(record.Seconds);
                    if (clocks is not null) phaseSamples[c].Add(clocks[c].MillisecondsPerStep());
                }
                if (e < warmupEpochs) continue;
                peaks.Add(peak.Sample(repeats: 3));
                copies.Add(copy.Sample(repeats: 3));
            }
            double peakGflops = Stats.Median(peaks);
            var results = new List<TrainingBenchResult>();
            for (int c = 0; c < trainers.Count; c++)
            {
                var phaseMs = clocks is not null
                    ? Enum.GetValues<StepPhase>().ToDictionary(p => p, p => Stats.Median(phaseSamples[c].Select(d => d[p]).ToArray()))
                    : null;
                var result = new TrainingBenchResult(EstimatorNames.Name(method), batchSize, packSizes[c], times[c],
                    data.TrainCount, trainers[c].FlopsPerEpoch, peakGflops, phaseMs, Stats.Median(copies));
                Progress?.Invoke($"{result.Method,-24} batch {batchSize,4} pack {result.PackSize}: {result.MedianEpochSeconds:F3} s/epoch, " +
                                 $"{result.Gflops:F1} GFLOP/s ({result.PercentOfPeak:F0}% of peak), {result.CellEpochsPerSecond:F3} cell-epochs/s");
                results.Add(result);
            }
            return results;
        }
        finally
        {
            foreach (var t in trainers) t.Dispose();
        }
    }

    /// <summary>Cells of a pack differ in learning rate, as in a packed LR sweep.</summary>
    private PackSpec Spec(EstimatorKind method, int batchSize, int packSize)
    {
        var optimizer = template.Cells[0].Optimizer;
        var cells = Enumerable.Range(0, packSize)
            .Select(p => new CellSettings(optimizer with { LearningRate = optimizer.LearningRate * Math.Pow(0.5, p) }, template.Cells[0].Seed))
            .ToArray();
        return template with
        {
            Estimator = template.Estimator with { Kind = method },
            BatchSize = batchSize,
            Cells = cells,
            Epochs = warmupEpochs + timedEpochs + 1,        // never the last epoch, so nothing is evaluated
            EvaluateEvery = int.MaxValue,
            CosineEvery = 0,
        };
    }

    public static OptimizerSettings DefaultOptimizer => OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3);
}
