using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Reporting;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess watch SWEEP [--report DIR]</c>: live progress until the sweep ends, then its results table (and its
/// report).</summary>
internal sealed class WatchCommand : Command
{
    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: false);
    private readonly Option<double> _interval = new Option<double>("--interval") { Description = "Seconds between updates (0.05 s to 1 day)", DefaultValueFactory = _ => 1 }.Seconds();
    private readonly ReportOption _report = new();

    public WatchCommand() : base("watch", "Follow a sweep with live progress bars until it ends")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        Options.Add(_interval);
        _report.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var seconds = parse.GetValue(_interval);
        var report = _report.Target(parse, stateDirectory: null);
        await using var connection = await _source.ConnectAsync(parse, ct);
        var last = await FollowAsync(connection, sweep, TimeSpan.FromSeconds(seconds), ct);
        await RenderResultsAsync(connection.Client.GetGrain<ISweepCoordinatorGrain>(sweep), last, ct);
        ProgressView.ReportFailures(last, $"gradguess resume {sweep} retries them");
        // None where the sweep is gone (deleted as it ended): there is nothing left to report.
        return await ReportOption.WriteAfterAsync(last is null ? null : report, connection.Client, sweep, ExitCodes.ForSweep(last), null, ct);
    }

    /// <summary>The results table of a sweep followed to its end. None where another client deleted it as it ended (or is
    /// deleting it now): its progress said how it ended, which the exit code keeps.</summary>
    public static async Task RenderResultsAsync(ISweepCoordinatorGrain coordinator, SweepStatus? last, CancellationToken ct)
    {
        if (last is null) return;
        try
        {
            if (await coordinator.GetResultsAsync(selection: null).WaitAsync(ct) is { } results) ResultsTable.Render(results);
        }
        catch (Exception e) when (Failures.Cause(e) is SweepDeletingException)
        {
            Output.Info($"sweep {last.Name} is being deleted by another client: no results table");
        }
    }

    /// <summary>Renders the sweep's progress until it ends; the final status.</summary>
    public static Task<SweepStatus?> FollowAsync(ClusterConnection connection, string sweep, TimeSpan interval, CancellationToken ct)
    {
        var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>(sweep);
        return ProgressView.RunAsync(onProblem => SweepPolling.FollowAsync(coordinator, sweep, interval, giveUpAfter: TimeSpan.FromMinutes(2), onProblem, ct),
            ct, results: () => coordinator.GetResultsAsync(selection: null));
    }
}
