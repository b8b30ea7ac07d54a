using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>One cell in the coordinator's ledger. Written on state changes only; the curve itself lives in
/// <see cref="CurveStore"/>, so <see cref="LastEpoch"/> may lag while the cell runs.</summary>
[GenerateSerializer, Alias("gg.CellEntry")]
public sealed class CellEntry
{
    [Id(0)] public CellState State { get; set; } = CellState.Queued;
    [Id(1)] public int LastEpoch { get; set; }
    /// <summary>Final-state summary (the last evaluated epoch, and the best evaluated one) for the selection rule.</summary>
    [Id(2)] public double? FinalTrainAccuracy { get; set; }
    [Id(3)] public double? FinalTestAccuracy { get; set; }
    [Id(4)] public double? BestTrainAccuracy { get; set; }
    [Id(5)] public double? BestTestAccuracy { get; set; }
    [Id(6)] public double? FinalTrainLoss { get; set; }
    [Id(7)] public string? Error { get; set; }
}
