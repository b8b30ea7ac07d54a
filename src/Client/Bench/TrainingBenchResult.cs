namespace GradGuessCluster.Client.Bench;

/// <summary>One measured configuration: median training-pass time of the timed epochs and what it implies.</summary>
internal sealed record TrainingBenchResult(
    string Method,
    int BatchSize,
    int PackSize,
    double MedianEpochSeconds,
    long TrainExamples,
    double FlopsPerEpoch,
    double PeakGflops)
{
    public double CellEpochsPerSecond => PackSize / MedianEpochSeconds;
    public double SamplesPerSecond => PackSize * TrainExamples / MedianEpochSeconds;
    public double Gflops => FlopsPerEpoch / MedianEpochSeconds / 1e9;
    public double PercentOfPeak => 100 * Gflops / PeakGflops;
}
