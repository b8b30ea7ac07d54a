using System.CommandLine;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess resume SWEEP</c>: re-queues cancelled and failed cells; they continue from their checkpoints.</summary>
internal sealed class ResumeCommand() : SweepControlCommand("resume", "Resume a cancelled or partly failed sweep")
{
    protected override Task<string> ActAsync(ParseResult parse, string sweep, ISweepCoordinatorGrain coordinator, SweepStatus status) =>
        CountedAsync(sweep, coordinator, coordinator.ResumeAsync, n => $"resumed sweep {sweep}: {n} cells re-queued");

    /// <summary>A completed sweep with failed cells still has them to re-queue; a running one is resumed anyway (it
    /// restarts packs that should be running).</summary>
    internal static bool NothingToResume(SweepStatus status) =>
        status.State == SweepState.Completed && status.Count(CellState.Failed) + status.Count(CellState.Cancelled) == 0;

    protected override bool HasNothingToDo(SweepStatus status) => NothingToResume(status);
}
