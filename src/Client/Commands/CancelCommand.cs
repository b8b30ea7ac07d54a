using System.CommandLine;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess cancel SWEEP</c>: queued cells are cancelled, running ones stop at their next epoch boundary
/// with a checkpoint (so <c>resume</c> continues them exactly).</summary>
internal sealed class CancelCommand() : SweepControlCommand("cancel", "Cancel a running sweep")
{
    protected override Task<string> ActAsync(ParseResult parse, string sweep, ISweepCoordinatorGrain coordinator, SweepStatus status) =>
        CountedAsync(sweep, coordinator, coordinator.CancelAsync, n => $"cancelled sweep {sweep}: {n} cells cancelled");

    /// <summary>Only a running sweep has cells to cancel (the coordinator cancels nothing otherwise).</summary>
    internal static bool NothingToCancel(SweepStatus status) => status.State != SweepState.Running;

    protected override bool HasNothingToDo(SweepStatus status) => NothingToCancel(status);
}
