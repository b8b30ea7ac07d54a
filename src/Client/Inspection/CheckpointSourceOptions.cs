using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Local;

namespace GradGuessCluster.Client.Inspection;

/// <summary>
/// Where the verbs that read checkpoints (<c>inspect</c>, <c>weights</c>) find them: CHECKPOINT as a file or a directory of
/// them; with <c>--state-dir</c> a local sweep's name, its checkpoints under the state directory; or, with
/// <c>--checkpoint-dir</c> and a cluster's connection options, a cluster's sweep, its checkpoints on the silos' shared volume
/// as this machine mounts it. Either way by name, only the sweep's current incarnation's checkpoints are read.
/// </summary>
internal sealed class CheckpointSourceOptions
{
    private readonly SweepSourceOptions _source = new(allowOffline: true, "A local state directory: CHECKPOINT names a sweep there");
    private readonly Option<string?> _checkpointDir = new Option<string?>("--checkpoint-dir")
    {
        Description = "With a cluster: its silos' checkpoint directory (their --checkpoint-dir, the shared volume) as this machine " +
                      "mounts it; CHECKPOINT names a sweep of the cluster",
        HelpName = "DIR",
    }.NotEmpty();

    public void AddTo(Command command)
    {
        _source.AddTo(command);
        command.Options.Add(_checkpointDir);
    }

    /// <summary>The directory a sweep is read from, as the option that named it: nothing may be written inside it. Null
    /// when CHECKPOINT is a path. Refuses both at once, and cluster options without the checkpoint directory.</summary>
    public (string Option, string Path)? Directory(ParseResult parse)
    {
        var state = _source.StateDirectory(parse);
        var checkpoints = parse.GetValue(_checkpointDir);
        if (state is not null && checkpoints is not null)
            throw new UsageException("--state-dir and --checkpoint-dir: a state directory holds its own checkpoints; give one of them");
        if (state is not null) return ("--state-dir", state);
        if (checkpoints is not null) return ("--checkpoint-dir", checkpoints);
        if (_source.Cluster.FirstGiven(parse) is { } option)
            throw new UsageException($"{option}: a cluster's sweep is read with --checkpoint-dir, its silos' checkpoint directory as this machine mounts it");
        return null;
    }

    /// <summary>The checkpoints <paramref name="path"/> names: a file or a directory's, with no sweep behind them.</summary>
    public static IReadOnlyList<string> AtPath(string path) => CheckpointPaths.At(path);

    /// <summary>The sweep <paramref name="sweep"/> opened where <see cref="Directory"/> says, with its current checkpoints.
    /// The name and the directory are checked before anything is opened.</summary>
    public async Task<SweepCheckpointSet> OpenSweepAsync(ParseResult parse, string sweep, CancellationToken ct)
    {
        var (option, directory) = Directory(parse) ?? throw new InvalidOperationException("CHECKPOINT is a path, not a sweep");
        if (option == "--state-dir") SweepCheckpoints.Check(directory, sweep);
        else if (!System.IO.Directory.Exists(directory)) throw new UsageException($"--checkpoint-dir: no directory at {directory}");
        else SweepCheckpoints.CheckedName(sweep, option);

        var source = await _source.OpenAsync(parse, ct);
        try
        {
            var files = option == "--state-dir"
                ? await SweepCheckpoints.FindAsync(new LocalHostOptions(directory).CheckpointDirectory, directory, sweep, source, ct)
                : await SweepCheckpoints.FindAsync(directory, "the cluster", sweep, source, ct);
            return new SweepCheckpointSet(source, files);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A sweep opened for its checkpoints: the source that reads its status, results and curves, and its current
/// checkpoint files.</summary>
internal sealed record SweepCheckpointSet(ISweepSource Source, IReadOnlyList<string> Files) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
