using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>One cell in the coordinator's ledger. Written on state changes, and on the watchdog's tick after epochs were
/// stored; the curve itself lives in <see cref="CurveStore"/>. <see cref="LastEpoch"/> is raised in memory as the cell's
/// epochs are stored, so the stored copy lags a running cell by up to a watchdog interval.</summary>
[GenerateSerializer, Alias("gg.CellEntry")]
public sealed class CellEntry
{
    [Id(0)] public CellState State { get; set; } = CellState.Queued;
    [Id(1)] public int LastEpoch { get; set; }
    /// <summary>Final-state summary for the selection rule: the last evaluated epoch, and the best evaluated epoch by
    /// each accuracy (the earliest of ties) with the other accuracy at that same epoch.</summary>
    [Id(2)] public double? FinalTrainAccuracy { get; set; }
    [Id(3)] public double? FinalTestAccuracy { get; set; }
    [Id(4)] public double? BestTrainAccuracy { get; set; }
    [Id(5)] public double? BestTestAccuracy { get; set; }
    [Id(6)] public double? FinalTrainLoss { get; set; }
    [Id(7)] public string? Error { get; set; }
    /// <summary>Test accuracy at the epoch of <see cref="BestTrainAccuracy"/>; null in entries summarised before it existed.</summary>
    [Id(8)] public double? TestAccuracyAtBestTrain { get; set; }
    /// <summary>Train accuracy at the epoch of <see cref="BestTestAccuracy"/>; null in entries summarised before it existed.</summary>
    [Id(9)] public double? TrainAccuracyAtBestTest { get; set; }
}
