using System.CommandLine;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess priority SWEEP [N]</c>: shows or sets a sweep's priority, its weight in the cluster's fair share
/// of training slots. A new priority counts from the next slot handed out, or given up by a running pack.</summary>
internal sealed class PriorityCommand : SweepControlCommand
{
    private readonly Argument<int?> _priority = PriorityValue.Argument();

    public PriorityCommand() : base("priority", "Show or set a sweep's priority (its weight in the fair share of training slots)")
    {
        Arguments.Add(_priority);
    }

    protected override async Task<string> ActAsync(ParseResult parse, string sweep, ISweepCoordinatorGrain coordinator, SweepStatus status)
    {
        if (parse.GetValue(_priority) is not { } wanted) return $"sweep {sweep}: priority {status.Priority}";
        var before = await coordinator.SetPriorityAsync(wanted) ?? throw Cluster.GrainSweepSource.SweepNotFound(sweep);
        if (before == wanted) return $"sweep {sweep} already has priority {wanted}";
        return $"sweep {sweep}: priority {before} -> {wanted}" +
               (status.State == SweepState.Running ? "" : $" (it counts once the sweep runs again; it is {status.State.Name()})");
    }

    /// <summary>Any sweep has a priority; one that is not running keeps it for a resume or an extension.</summary>
    protected override bool HasNothingToDo(SweepStatus status) => false;
}
