using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;

namespace GradGuessCluster.Client.Commands;

/// <summary>A verb that tells one existing sweep of a running cluster to do something (<c>cancel</c>, <c>resume</c>):
/// connects, refuses an unknown sweep, acts on its coordinator and prints one line.</summary>
internal abstract class SweepControlCommand : Command
{
    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: false);

    protected SweepControlCommand(string name, string description) : base(name, description)
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        SetAction(ExecuteAsync);
    }

    /// <summary>Acts on the sweep's coordinator; returns the line to print.</summary>
    protected abstract Task<string> ActAsync(string sweep, ISweepCoordinatorGrain coordinator);

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        await using var connection = await _source.ConnectAsync(parse, ct);
        var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>(sweep);
        if (await coordinator.GetStatusAsync() is null) throw GrainSweepSource.SweepNotFound(sweep);
        Output.Line(await ActAsync(sweep, coordinator));
        return ExitCodes.Success;
    }
}
