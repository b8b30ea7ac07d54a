using System.CommandLine;

namespace GradGuessCluster.Client.Cluster;

/// <summary>
/// <c>--against-state-dir DIR</c> for the verbs that read a second sweep (compare's B, plot's --against): read it from
/// another local state directory, offline, instead of from where the first one comes from. A name is unique within a
/// cluster or a state directory, so two runs of one spec (another build, another machine, a GPU against a CPU) can be
/// set side by side only this way.
/// </summary>
internal sealed class AgainstSourceOption(string sweepRole)
{
    private readonly Option<string?> _dir = new Option<string?>("--against-state-dir")
    {
        Description = $"Read {sweepRole} from this local state directory (offline) instead of from where the first sweep comes from",
    }.NotEmpty();

    public void AddTo(Command command) => command.Options.Add(_dir);

    public bool IsGiven(ParseResult parse) => parse.GetValue(_dir) is not null;

    /// <summary>The directory given, if any.</summary>
    public string? Directory(ParseResult parse) => parse.GetValue(_dir);

    /// <summary>The second sweep's source: the directory's, or null for the first sweep's own.</summary>
    public async Task<ISweepSource?> OpenAsync(ParseResult parse, CancellationToken cancellationToken) =>
        parse.GetValue(_dir) is { } dir ? await SweepSourceOptions.OpenOfflineAsync(dir, cancellationToken, "--against-state-dir") : null;

    /// <summary>How the second sweep is named in tables and legends: its name, and its directory when the name is the
    /// first sweep's too (two runs of one spec).</summary>
    public string Label(ParseResult parse, string first, string second) =>
        parse.GetValue(_dir) is { } dir && first == second ? $"{second} ({dir})" : second;

    /// <summary>Refuses a sweep compared with itself: the same name from the same source, the same state directory given
    /// twice (<paramref name="firstStateDirectory"/>, the first sweep's, by any path to it) included.</summary>
    public void CheckDistinct(ParseResult parse, string first, string second, string what, string? firstStateDirectory)
    {
        if (first != second) return;
        if (parse.GetValue(_dir) is not { } dir)
            throw new UsageException($"{what}: give another sweep, or the same name from another state directory with --against-state-dir");
        if (firstStateDirectory is not null && Training.IO.UnixPath.Canonical(dir) == Training.IO.UnixPath.Canonical(firstStateDirectory))
            throw new UsageException($"{what}, and --against-state-dir {dir} is the --state-dir {firstStateDirectory}: that is the same sweep; give another directory");
    }

    /// <summary>"no sweep named X", saying where it was looked for when that is the other directory.</summary>
    public UsageException NotFound(ParseResult parse, string sweep) =>
        parse.GetValue(_dir) is { } dir ? new UsageException($"no sweep named '{sweep}' in {dir}") : GrainSweepSource.SweepNotFound(sweep);
}
