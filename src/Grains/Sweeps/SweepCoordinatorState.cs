using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>The coordinator's durable ledger: the spec and one small entry per cell (no curves).</summary>
[GenerateSerializer, Alias("gg.SweepCoordinatorState")]
public sealed class SweepCoordinatorState
{
    [Id(0)] public SweepSpec? Spec { get; set; }
    [Id(1)] public SweepState State { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public DateTimeOffset? FinishedAt { get; set; }
    [Id(4)] public Dictionary<string, CellEntry> Cells { get; set; } = new();
}
