using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Commands;

/// <summary>A verb that tells one existing sweep of a running cluster to do something (<c>cancel</c>, <c>resume</c>,
/// <c>priority</c>):
/// connects, refuses an unknown sweep, acts on its coordinator and prints one line. A sweep the verb cannot change (a
/// completed one) is said to be so, not acted on: "0 cells cancelled" read as if the command had done something.</summary>
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

    /// <summary>Acts on the sweep's coordinator (its <paramref name="status"/> read just before); returns the line to print.</summary>
    protected abstract Task<string> ActAsync(ParseResult parse, string sweep, ISweepCoordinatorGrain coordinator, SweepStatus status);

    /// <summary>Runs a verb that counts what it changed, and says it. None changed: the sweep may have changed between the
    /// status read and the verb (another client's delete: "no sweep"; its completion or another client's cancel: said as
    /// if read before), not "0 cells".</summary>
    internal async Task<string> CountedAsync(string sweep, ISweepCoordinatorGrain coordinator, Func<Task<int>> act, Func<int, string> said)
    {
        var changed = await act();
        if (changed > 0) return said(changed);
        var now = await coordinator.GetStatusAsync() ?? throw GrainSweepSource.SweepNotFound(sweep);
        return HasNothingToDo(now) ? NothingToDo(sweep, now) : said(0);
    }

    private string NothingToDo(string sweep, SweepStatus status) => $"sweep {sweep} is {status.State.Name()}: nothing to {Name}";

    /// <summary>Whether the verb has nothing to do to a sweep in <paramref name="status"/>.</summary>
    protected abstract bool HasNothingToDo(SweepStatus status);

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        await using var connection = await _source.ConnectAsync(parse, ct);
        var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>(sweep);
        var status = await coordinator.GetStatusAsync().WaitAsync(ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        ct.ThrowIfCancellationRequested();   // a Ctrl-C during the read: nothing is sent
        Output.Line(HasNothingToDo(status) ? NothingToDo(sweep, status) : await ActAsync(parse, sweep, coordinator, status));
        return ExitCodes.Success;
    }
}
