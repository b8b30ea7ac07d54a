using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Doctor;

/// <summary>
/// A few epochs of two tiny packs on one device, through the trainer every sweep uses: backprop with SGD at two rates, and
/// W^T (the hand-written tangent pass). Backprop's losses depend on the device only through rounding (weights, data and
/// batch order are drawn on the CPU), so a GPU's are compared with the CPU's; a guess is drawn from the device's own
/// generator, so W^T's are only held to be finite.
/// </summary>
internal static class TrainingSmoke
{
    private const int Epochs = 3;

    /// <param name="BackpropLosses">The backprop pack's last train loss, per cell.</param>
    public sealed record Outcome(IReadOnlyList<double> BackpropLosses, double FirstLoss, double GuessLoss, bool Diverged, double Seconds);

    public static Outcome Run(Device device, CancellationToken ct)
    {
        var data = new DataSource(SyntheticDataset.Name, SyntheticTrain: 512, SyntheticTest: 128, SyntheticFeatures: 32);
        using var set = SyntheticDataset.Create(data, device);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var backprop = Train(Spec(data, EstimatorKind.Backprop,
            OptimizerSettings.Default(OptimizerKind.Sgd, 0.1), OptimizerSettings.Default(OptimizerKind.Sgd, 0.03)), set, device, ct);
        var guess = Train(Spec(data, EstimatorKind.WTranspose, OptimizerSettings.Default(OptimizerKind.Sgd, 0.05)), set, device, ct);
        var diverged = backprop.Concat(guess).Any(h => h.Any(m => m.Diverged || !double.IsFinite(m.TrainLoss)));
        return new Outcome([.. backprop.Select(Last)], backprop[0].FirstOrDefault()?.TrainLoss ?? double.NaN, Last(guess[0]), diverged,
            clock.Elapsed.TotalSeconds);
    }

    private static double Last(List<EpochMetrics> history) => history.Count > 0 ? history[^1].TrainLoss : double.NaN;

    private static PackSpec Spec(DataSource data, EstimatorKind method, params OptimizerSettings[] optimizers) =>
        new(data, Depth: 2, Width: 32, new EstimatorSettings(method), BatchSize: 64, Epochs, DataSeed: 0,
            [.. optimizers.Select((o, i) => new CellSettings(o, Seed: i))], EvaluateEvery: Epochs);

    /// <summary>Each cell's epochs, in order.</summary>
    private static List<EpochMetrics>[] Train(PackSpec spec, Dataset set, Device device, CancellationToken ct)
    {
        using var trainer = new PackTrainer(spec, set, device);
        var history = spec.Cells.Select(_ => new List<EpochMetrics>()).ToArray();
        while (!trainer.IsFinished)
        {
            var epoch = trainer.RunEpoch(ct, rollBack: false);
            for (int c = 0; c < epoch.Count; c++)
                if (epoch[c] is { } m) history[c].Add(m);
        }
        return history;
    }
}
