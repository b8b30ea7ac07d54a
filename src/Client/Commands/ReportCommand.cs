using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Reporting;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess report SWEEP --out DIR</c>: one directory to share a sweep by: README.md (the sweep, its results,
/// every rate's score, the figures, the diagnostics, its problems), the figures as PNGs, the curves as CSV and the spec as
/// YAML that trains it again; with <c>--against B</c>, the comparison with B too. Reads the stored sweeps (partial while they
/// run), trains nothing.</summary>
internal sealed class ReportCommand : Command
{
    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly Option<string> _out = new("--out")
    {
        Description = "Directory to write: a new or empty one, or one holding an earlier report, which is replaced whole " +
                      "(written beside it and renamed into place). Not inside --state-dir",
        HelpName = "DIR",
        Required = true,
    };
    private readonly Option<int> _width = new("--width") { Description = "The figures' width in pixels (300 to 10000)", DefaultValueFactory = _ => ReportWriter.DefaultWidth };

    private readonly Option<string?> _against = SweepArgument.Option("--against",
        "Another sweep to compare with, as compare A B and plot --against show it (B ranked by this sweep's rule)", "B");
    private readonly AgainstSourceOption _againstSource = new("the --against sweep");

    public ReportCommand() : base("report", "Write a sweep's report to a directory: results, every rate's score, figures, diagnostics, curves as CSV, the spec")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        Options.Add(_out);
        Options.Add(_width);
        Options.Add(_against);
        _againstSource.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var path = parse.GetValue(_out)!;
        var width = parse.GetValue(_width);
        PlotCommand.CheckSize(width, height: null);
        var stateDir = _source.StateDirectory(parse);
        var target = ReportDirectory.Check("--out", path, stateDir);   // before the sweep is read
        var against = parse.GetValue(_against);
        if (against is null && _againstSource.IsGiven(parse)) throw new UsageException("--against-state-dir: give the sweep to read there with --against");
        if (against is not null)
        {
            _againstSource.CheckDistinct(parse, sweep, against, $"--against {against}", stateDir);
            if (_againstSource.Directory(parse) is { } dirB) ReportDirectory.Check("--out", path, dirB);   // nor inside B's state
        }

        await using var source = await _source.OpenAsync(parse, ct);
        await using var other = against is null ? null : await _againstSource.OpenAsync(parse, ct);
        var from = stateDir is null ? "a running cluster" : $"the state directory `{stateDir}`";
        var b = against is null ? null
            : new ReportAgainst(other ?? source, against, _againstSource.Label(parse, sweep, against), name => _againstSource.NotFound(parse, name));
        return await ReportWriter.WriteAsync(source, sweep, "--out", target, stateDir, from, width, ct, b);
    }
}
