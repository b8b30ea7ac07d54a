using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess cancel SWEEP</c>: queued cells are cancelled, running ones stop at their next epoch boundary
/// with a checkpoint (so <c>resume</c> continues them exactly).</summary>
internal sealed class CancelCommand : Command
{
    private readonly Argument<string> _sweep = new("SWEEP") { Description = "Sweep name" };
    private readonly SweepSourceOptions _source = new(allowOffline: false);

    public CancelCommand() : base("cancel", "Cancel a running sweep")
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
        int cancelled = await coordinator.CancelAsync();
        Output.Line($"cancelled sweep {sweep}: {cancelled} cells cancelled");
        return ExitCodes.Success;
    }
}
