using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess resume SWEEP</c>: re-queues cancelled and failed cells; they continue from their checkpoints.</summary>
internal sealed class ResumeCommand : Command
{
    private readonly Argument<string> _sweep = new("SWEEP") { Description = "Sweep name" };
    private readonly SweepSourceOptions _source = new(allowOffline: false);

    public ResumeCommand() : base("resume", "Resume a cancelled or partly failed sweep")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        await using var connection = await _source.ConnectAsync(parse, ct);
        var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>(sweep);
        if (await coordinator.GetStatusAsync() is null) throw GrainSweepSource.SweepNotFound(sweep);
        int requeued = await coordinator.ResumeAsync();
        Output.Line($"resumed sweep {sweep}: {requeued} cells re-queued");
        return ExitCodes.Success;
    }
}
