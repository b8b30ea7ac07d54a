using System.CommandLine;
using System.Text;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Reporting;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess report SWEEP --out DIR</c>: one directory to share a sweep by: README.md (the sweep, its results,
/// every rate's score, the figures, the diagnostics, its problems), the figures as PNGs, the curves as CSV and the spec as
/// YAML that trains it again. Reads the stored sweep (partial while it runs), trains nothing.</summary>
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
    private readonly Option<int> _width = new("--width") { Description = "The figures' width in pixels (300 to 10000)", DefaultValueFactory = _ => 1600 };

    public ReportCommand() : base("report", "Write a sweep's report to a directory: results, every rate's score, figures, diagnostics, curves as CSV, the spec")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        Options.Add(_out);
        Options.Add(_width);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var path = parse.GetValue(_out)!;
        var width = parse.GetValue(_width);
        if (width is < 300 or > 10000) throw new UsageException($"--width must be from 300 to 10000 pixels, got {width}");
        var stateDir = _source.StateDirectory(parse);
        var target = ReportDirectory.Check("--out", path, stateDir);   // before the sweep is read

        await using var source = await _source.OpenAsync(parse, ct);
        var spec = await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        var status = await source.GetStatusAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        var results = await source.GetResultsAsync(sweep, null, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        GrainSweepSource.NotePaused(source, results.State);
        var curves = await source.GetCurvesAsync(sweep, ct);
        var readable = curves.Where(c => c.Unreadable is null).ToList();
        var window = CellSummary.DefaultWindow(spec.Epochs);
        var (figures, missing) = await ReportFigures.DrawAsync(source, spec, results, curves, width, ct);
        var rows = CurveRows.From(sweep, curves);

        var readme = SweepReport.Markdown(new ReportInput(spec, status, results, [.. readable.Select(c => CellSummary.From(c, window))], window,
            figures, missing, [.. curves.Where(c => c.Unreadable is not null)],
            stateDir is null ? "a running cluster" : $"the state directory `{stateDir}`", DateTimeOffset.UtcNow));
        List<(string, Action<Stream>)> files =
        [
            (ReportDirectory.Readme, Utf8(readme)),
            ("spec.yaml", Utf8($"# The spec of sweep {sweep} as stored, every field written out (gradguess report).\n" + SweepSpecWriter.Write(spec))),
            ("curves.csv", stream => Csv(stream, rows)),
            .. figures.Select(f => (f.File, (Action<Stream>)(stream => stream.Write(f.Png)))),
        ];
        var incomplete = UnreadableCurves.Any(curves);
        var destination = incomplete ? ReportDirectory.ForIncomplete("--out", target, stateDir) : target;
        ReportDirectory.Write(destination, files);
        Output.Info($"wrote the report of {sweep} to {destination}: {ReportDirectory.Readme}, {figures.Count} figures, {rows.Count} curve rows" +
                    (status.IsFinished ? "" : $" (a snapshot: the sweep is {status.State.Name()})"));
        if (destination != target) Output.Info($"{path} is kept as it was: this report leaves cells out (below)");
        return UnreadableCurves.Report(curves);
    }

    private static Action<Stream> Utf8(string text) => stream => stream.Write(new UTF8Encoding(false).GetBytes(text));

    /// <summary>Written as it goes, as export writes it: a large sweep's rows run past what one buffer holds.</summary>
    private static void Csv(Stream stream, IReadOnlyList<CurveRow> rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        CsvCurveWriter.Write(writer, rows);
    }
}
