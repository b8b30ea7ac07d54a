namespace GradGuessCluster.Grains.Diagnostics;

/// <summary>The latest per-cell values the gauges report; accuracies keep their last evaluated value between evaluations.
/// <see cref="RetireAt"/>: when a cell whose pack ended stops being reported.</summary>
internal sealed record CellSnapshot(double? SamplesPerSecond, double? TrainLoss, double? TrainAccuracy, double? TestAccuracy, double? CosineSimilarity,
    double? StepCosine, DateTimeOffset? RetireAt = null)
{
    public static readonly CellSnapshot Empty = new(null, null, null, null, null, null);

    /// <summary>This snapshot updated by one epoch; absent values keep the previous ones, and the cell is live again.</summary>
    public CellSnapshot With(double? samplesPerSecond, double? trainLoss, double? trainAccuracy, double? testAccuracy, double? cosine,
        double? stepCosine) =>
        new(samplesPerSecond ?? SamplesPerSecond, trainLoss ?? TrainLoss, trainAccuracy ?? TrainAccuracy,
            testAccuracy ?? TestAccuracy, cosine ?? CosineSimilarity, stepCosine ?? StepCosine);
}
