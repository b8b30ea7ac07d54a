using System.CommandLine;
using GradGuessCluster.Client.Cluster;

namespace GradGuessCluster.Client.Reporting;

/// <summary><c>--report DIR</c> of the verbs that follow a sweep to its end (<c>local</c>, <c>watch</c>, <c>submit
/// --watch</c>): the sweep's report, written there once it has ended. The directory is checked before the work, so one
/// that cannot take a report costs no training; an interrupted run writes none.</summary>
internal sealed class ReportOption
{
    private readonly Option<string?> _option = new Option<string?>("--report")
    {
        Description = "Once the sweep has ended, write its report to this directory (as gradguess report --out DIR: a new or empty " +
                      "directory, or one holding an earlier report). Checked first",
        HelpName = "DIR",
    }.NotEmpty();

    public void AddTo(Command command) => command.Options.Add(_option);

    public bool Given(ParseResult parse) => parse.GetValue(_option) is not null;

    /// <summary>The directory the report will be written to, checked now; null where none was asked for.</summary>
    /// <param name="stateDirectory">The local state directory, which the report may not overlap; null for a cluster.</param>
    public string? Target(ParseResult parse, string? stateDirectory) =>
        parse.GetValue(_option) is { } path ? ReportDirectory.Check("--report", path, stateDirectory) : null;

    /// <summary>After the sweep was followed to its end with exit code <paramref name="exit"/>: its report written to
    /// <paramref name="target"/> (none when null), and the larger of the two exit codes.</summary>
    public static async Task<int> WriteAfterAsync(string? target, IGrainFactory grains, string sweep, int exit, string? stateDirectory,
        CancellationToken ct)
    {
        if (target is null) return exit;
        await using var source = new GrainSweepSource(grains, lifetime: null);   // the caller's host or connection outlives it
        var from = stateDirectory is null ? "a running cluster" : $"the state directory `{stateDirectory}`";
        return Math.Max(exit, await ReportWriter.WriteAsync(source, sweep, "--report", target, stateDirectory, from, ReportWriter.DefaultWidth, ct));
    }
}
