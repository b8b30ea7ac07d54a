using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// Times the epoch loop (training pass only; evaluation excluded) of each method at each batch and pack size.
/// Cells of a pack differ in learning rate, as in a packed LR sweep.
/// </summary>
internal sealed class TrainingBench(Dataset data, Device device, PackSpec template, int warmupEpochs, int timedEpochs)
{
    public event Action<string>? Progress;

    public TrainingBenchResult Run(EstimatorKind method, int batchSize, int packSize, double peakGflops)
    {
        var optimizer = template.Cells[0].Optimizer;
        var cells = Enumerable.Range(0, packSize)
            .Select(p => new CellSettings(optimizer with { LearningRate = optimizer.LearningRate * Math.Pow(0.5, p) }, template.Cells[0].Seed))
            .ToArray();
        var spec = template with
        {
            Estimator = template.Estimator with { Kind = method },
            BatchSize = batchSize,
            Cells = cells,
            Epochs = warmupEpochs + timedEpochs + 1,        // never the last epoch, so nothing is evaluated
            EvaluateEvery = int.MaxValue,
            CosineEvery = 0,
        };
        using var trainer = new PackTrainer(spec, data, device);
        var times = new List<double>();
        for (int e = 0; e < warmupEpochs + timedEpochs; e++)
        {
            var record = trainer.RunEpoch(CancellationToken.None).First(r => r is not null)!;
            if (e >= warmupEpochs) times.Add(record.Seconds);
        }
        var result = new TrainingBenchResult(EstimatorNames.Name(method), batchSize, packSize, Stats.Median(times),
            data.TrainCount, trainer.FlopsPerEpoch, peakGflops);
        Progress?.Invoke($"{result.Method,-24} batch {batchSize,4} pack {packSize}: {result.MedianEpochSeconds:F3} s/epoch, " +
                         $"{result.Gflops:F1} GFLOP/s ({result.PercentOfPeak:F0}% of peak), {result.CellEpochsPerSecond:F3} cell-epochs/s");
        return result;
    }

    public static OptimizerSettings DefaultOptimizer => OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3);
}
