using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Cells;

/// <summary>A training grain's durable state: its work, where it stands, and the outcome once final. Written when a cell
/// diverges and when the pack ends, never per epoch (the checkpoint file holds the progress; every start brings the work).</summary>
[GenerateSerializer, Alias("gg.TrainingCellState")]
public sealed class TrainingCellState
{
    [Id(0)] public PackWork? Work { get; set; }
    [Id(1)] public PackRunState RunState { get; set; } = PackRunState.Idle;
    [Id(2)] public List<CellOutcome>? Outcomes { get; set; }
    /// <summary>Cells that diverged, with the epoch (a resumed trainer only knows that they did, not when).</summary>
    [Id(3)] public Dictionary<string, int> DivergedAt { get; set; } = new();
}
