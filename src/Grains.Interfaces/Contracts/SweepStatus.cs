namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>A sweep as the client sees it: its state and every cell's progress, in grid order. <see cref="Problem"/>
/// says why queued cells are not being started (the last admission's failure, such as an unreadable slot ledger);
/// null while admission works. <see cref="EpochsPerSecond"/> is the running sweep's recent pace (null until the
/// coordinator has seen reports for a few seconds, and once the sweep ends). <see cref="Data"/> is the data its packs
/// train on, as the first of them read it (null until one has started). <see cref="Waiting"/> says why ready packs get no
/// slot while the cluster's slots are in use (shared with other sweeps); it is no problem. <see cref="Yields"/> counts the
/// slots its packs gave to sweeps holding fewer, each checkpointing where it stopped and resuming from there.
/// <see cref="Priority"/> is its weight in the cluster's fair share of slots (<see cref="Validation.SweepPriority"/>).
/// <see cref="Numerics"/> counts its packs' resumes under other numerics than their checkpoints'. <see cref="WorkSecondsLeft"/>
/// is the time left reckoned in work (each pack's FLOPs), where the coordinator could count it.</summary>
[GenerateSerializer, Immutable, Alias("gg.SweepStatus")]
public sealed record SweepStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] SweepState State,
    [property: Id(2)] int Epochs,
    [property: Id(3)] IReadOnlyList<CellStatus> Cells,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt,
    [property: Id(6)] string? Problem = null,
    [property: Id(7)] double? EpochsPerSecond = null,
    [property: Id(8)] DataRead? Data = null,
    [property: Id(9)] string? Waiting = null,
    [property: Id(10)] SlotYields? Yields = null,
    [property: Id(11)] int Priority = Validation.SweepPriority.Default,
    [property: Id(12)] NumericsResumes? Numerics = null,
    [property: Id(13)] double? WorkSecondsLeft = null)
{
    public bool IsFinished => State != SweepState.Running;

    public int Count(CellState state) => Cells.Count(c => c.State == state);

    /// <summary>Epochs recorded over all cells (diverged cells count as done).</summary>
    public long EpochsDone => Cells.Sum(c => (long)(c.State is CellState.Completed or CellState.Diverged ? c.Epochs : c.Epoch));

    public long EpochsTotal => (long)Cells.Count * Epochs;

    /// <summary>Seconds until every cell has run its epochs, queued cells included (so it assumes the cluster keeps as
    /// many slots busy): the work left at the recent work pace where the coordinator counted it, else the cell-epochs left
    /// at <see cref="EpochsPerSecond"/>; null without a pace.</summary>
    public double? SecondsLeft => IsFinished ? null
        : WorkSecondsLeft is { } work ? work
        : EpochsPerSecond is > 0 and var pace ? Math.Max(0, EpochsTotal - EpochsDone) / pace : null;
}
