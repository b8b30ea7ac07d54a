using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess results SWEEP [--json]</c>: the study-shaped table (partial while the sweep runs).</summary>
internal sealed class ResultsCommand : Command
{
    private readonly Argument<string> _sweep = new("SWEEP") { Description = "Sweep name" };
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly Option<bool> _json = new("--json") { Description = "JSON on stdout" };

    public ResultsCommand() : base("results", "Best learning rate and accuracies per method × optimizer")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        Options.Add(_json);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        await using var source = await _source.OpenAsync(parse, ct);
        var results = await source.GetResultsAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        if (parse.GetValue(_json)) JsonOutput.Write(results);
        else ResultsTable.Render(results);
        return ExitCodes.Success;
    }
}
