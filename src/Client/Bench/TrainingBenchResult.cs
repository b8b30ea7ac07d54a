using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Bench;

/// <summary>One measured configuration: the training-pass time of each timed epoch (in the order they ran) and what
/// their median implies; with <c>--phases</c>, also the median milliseconds per step of each phase. Its rounds' median
/// matmul peak and memory copy rate (<see cref="MemoryCopyRate"/>) say how fast the machine ran meanwhile.</summary>
internal sealed record TrainingBenchResult(
    string Method,
    int BatchSize,
    int PackSize,
    IReadOnlyList<double> EpochSeconds,
    long TrainExamples,
    double FlopsPerEpoch,
    double PeakGflops,
    IReadOnlyDictionary<StepPhase, double>? PhaseMilliseconds = null,
    double CopyGBps = double.NaN)
{
    public double MedianEpochSeconds => Stats.Median(EpochSeconds);
    public double CellEpochsPerSecond => PackSize / MedianEpochSeconds;
    public double SamplesPerSecond => PackSize * TrainExamples / MedianEpochSeconds;
    public double Gflops => FlopsPerEpoch / MedianEpochSeconds / 1e9;
    public double PercentOfPeak => 100 * Gflops / PeakGflops;
}
