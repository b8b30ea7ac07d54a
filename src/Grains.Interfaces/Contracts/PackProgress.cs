namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>A training grain's answer to start/stop/progress calls.</summary>
/// <param name="EpochsCompleted">Epochs the pack's trainer has finished (from its checkpoint after a resume).</param>
/// <param name="Silo">The silo the pack runs on.</param>
/// <param name="Device">"cuda:N" or "cpu".</param>
/// <param name="Outcomes">Per-cell outcomes once <see cref="PackRunState.Finished"/> or <see cref="PackRunState.Failed"/>.</param>
/// <param name="YieldedTo">On the report of a pack's stop: the sweep it gave its slot to (fair share), if that was why.</param>
/// <param name="StopReason">On the report of a pack's stop that may pass (its GPU ran out of memory, its checkpoint's volume
/// full): why, so that the coordinator tries it again after a pause that grows, and says so, rather than at once.</param>
/// <param name="Run">The run of the pack this speaks for, named by the training grain as it starts one; null where no run
/// of this activation is meant (a finished pack's stored outcome) or from an earlier build. The coordinator folds a run's
/// end once, and no end of a run other than the pack's current one.</param>
/// <param name="StopCause">With <see cref="StopReason"/>: which cause it is (null from a build that knew only device memory).</param>
[GenerateSerializer, Immutable, Alias("gg.PackProgress")]
public sealed record PackProgress(
    [property: Id(0)] PackRunState State,
    [property: Id(1)] int EpochsCompleted,
    [property: Id(2)] string? Silo,
    [property: Id(3)] string? Device,
    [property: Id(4)] IReadOnlyList<CellOutcome>? Outcomes,
    [property: Id(5)] string? YieldedTo = null,
    [property: Id(6)] string? StopReason = null,
    [property: Id(7)] string? Run = null,
    [property: Id(8)] PackStopCause? StopCause = null);
