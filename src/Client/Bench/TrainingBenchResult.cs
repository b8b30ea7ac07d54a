namespace GradGuessCluster.Client.Bench;

/// <summary>One measured configuration: the training-pass time of each timed epoch (in the order they ran) and what
/// their median implies.</summary>
internal sealed record TrainingBenchResult(
    string Method,
    int BatchSize,
    int PackSize,
    IReadOnlyList<double> EpochSeconds,
    long TrainExamples,
    double FlopsPerEpoch,
    double PeakGflops)
{
    public double MedianEpochSeconds => Stats.Median(EpochSeconds);
    public double CellEpochsPerSecond => PackSize / MedianEpochSeconds;
    public double SamplesPerSecond => PackSize * TrainExamples / MedianEpochSeconds;
    public double Gflops => FlopsPerEpoch / MedianEpochSeconds / 1e9;
    public double PercentOfPeak => 100 * Gflops / PeakGflops;
}
