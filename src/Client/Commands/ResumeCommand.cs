using GradGuessCluster.Grains.Interfaces;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess resume SWEEP</c>: re-queues cancelled and failed cells; they continue from their checkpoints.</summary>
internal sealed class ResumeCommand() : SweepControlCommand("resume", "Resume a cancelled or partly failed sweep")
{
    protected override async Task<string> ActAsync(string sweep, ISweepCoordinatorGrain coordinator) =>
        $"resumed sweep {sweep}: {await coordinator.ResumeAsync()} cells re-queued";
}
