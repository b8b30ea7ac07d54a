using System.CommandLine;
using System.Text;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess export SWEEP --format csv|json [--all-epochs] [--out FILE]</c>: every curve in long format (one
/// row per cell and evaluated epoch, or stored epoch), to a file or stdout.</summary>
internal sealed class ExportCommand : Command
{
    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly Option<string> _format = new("--format") { HelpName = "format", Description = "csv | json", DefaultValueFactory = _ => "csv" };
    private readonly Option<bool> _allEpochs = new("--all-epochs")
    {
        Description = "A row for every stored epoch, not only the evaluated ones: the loss and cosine of the epochs between " +
                      "evaluations too (their accuracies empty)",
    };
    private readonly Option<string?> _out = new("--out")
    {
        Description = "Output file (default, or -: stdout), written whole or not at all (through a symbolic link to its " +
                      "target; a FIFO or device straight through). Not inside --state-dir",
    };

    public ExportCommand() : base("export", "Export a sweep's curves in long format (CSV or JSON)")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        Options.Add(_format);
        _format.CompletionSources.Add("csv", "json");
        Options.Add(_allEpochs);
        Options.Add(_out);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var format = parse.GetValue(_format)!;
        Action<Stream, IReadOnlyList<CurveRow>> write = format switch
        {
            "csv" => (stream, rows) =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false));
                CsvCurveWriter.Write(writer, rows);
            },
            "json" => JsonCurveWriter.Write,
            _ => throw new UsageException($"--format: expected csv or json, got '{format}'"),
        };
        var path = parse.GetValue(_out) is var p && p != OutFile.Stdout ? p : null;
        if (path is not null)                                   // before connecting and reading every curve
        {
            OutFile.CheckOutside(path, "--state-dir", _source.StateDirectory(parse));
            OutFile.Check("--out", path);
        }
        await using var source = await _source.OpenAsync(parse, ct);
        var curves = await source.GetCurvesAsync(sweep, ct);
        var rows = CurveRows.From(sweep, curves, parse.GetValue(_allEpochs));
        // Standard output is written as it goes too: held in a buffer first, a large sweep's export (some 12 million rows)
        // ran past the 2 GB a buffer holds.
        var destination = path is not null && UnreadableCurves.Any(curves) ? OutFile.ForIncomplete(path) : path;
        OutFile.Write(destination ?? OutFile.Stdout, stream => write(stream, rows));
        if (destination is not null) Output.Info($"wrote {Units.Count(rows.Count, "row")} to {destination}");
        if (destination != path) Output.Info($"{path} is kept as it was: this export leaves cells out (below)");
        return UnreadableCurves.Report(curves);
    }
}
