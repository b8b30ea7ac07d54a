using System.CommandLine;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Silo.Hosting;

namespace GradGuessCluster.Client.Cluster;

/// <summary>Options of the verbs that read a sweep: a cluster's connection options, or <c>--state-dir</c> for a local
/// state directory read offline (when the verb allows it).</summary>
internal sealed class SweepSourceOptions(bool allowOffline, string stateDirDescription = "Read a local state directory offline instead of a cluster")
{
    private readonly ClusterConnectionOptions _cluster = new();
    private readonly Option<string?> _stateDir = new Option<string?>("--state-dir") { Description = stateDirDescription }.NotEmpty();

    public ClusterConnectionOptions Cluster => _cluster;

    public void AddTo(Command command)
    {
        _cluster.AddTo(command);
        if (allowOffline) command.Options.Add(_stateDir);
    }

    public async Task<ISweepSource> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (OfflineDirectory(parse) is { } dir) return await OpenOfflineAsync(dir, cancellationToken);
        var connection = await ConnectAsync(parse, cancellationToken);
        return new GrainSweepSource(connection.Client, connection);
    }

    /// <summary>A read-only embedded silo over a state directory: it admits, resumes and writes nothing. For the command's
    /// process only: the silo runs until the process exits.</summary>
    public static async Task<ISweepSource> OpenOfflineAsync(string directory, CancellationToken cancellationToken, string option = "--state-dir")
    {
        var host = await LocalSweepHost.StartReadOnlyAsync(directory, cancellationToken, option);
        // Left to the process's exit, not stopped when the source is disposed: a reader holds no lock and writes nothing
        // (its log included), so a graceful stop, grain by grain, saves nothing, and took a tenth of an offline `export`'s CPU.
        return new GrainSweepSource(host.Grains, lifetime: null, paused: !StateDirectoryLock.IsHeld(directory));
    }

    /// <summary>For <c>delete</c>: a cluster connection, or with <c>--state-dir</c> a host that holds the directory's lock
    /// (refused while a local or silo runs there) and may delete its sweeps. Null StateDirectory: a cluster.</summary>
    public async Task<(IGrainFactory Grains, IAsyncDisposable Lifetime, string? StateDirectory)> OpenForDeleteAsync(
        ParseResult parse, CancellationToken cancellationToken)
    {
        if (OfflineDirectory(parse) is { } dir)
        {
            var host = await LocalSweepHost.StartForDeleteAsync(dir, cancellationToken);
            return (host.Grains, host, dir);
        }
        var connection = await ConnectAsync(parse, cancellationToken);
        return (connection.Client, connection, null);
    }

    /// <summary>The <c>--state-dir</c> given, if any.</summary>
    public string? StateDirectory(ParseResult parse) => allowOffline ? parse.GetValue(_stateDir) : null;

    /// <summary>The first of these options given, if any (for a verb that reads a sweep only in one of its modes).</summary>
    public string? FirstGiven(ParseResult parse) => allowOffline && parse.Gave(_stateDir) ? "--state-dir" : _cluster.FirstGiven(parse);

    /// <summary>The <c>--state-dir</c> given, if any; refuses cluster options beside it rather than ignore them.</summary>
    private string? OfflineDirectory(ParseResult parse)
    {
        if (!allowOffline || parse.GetValue(_stateDir) is not { } dir) return null;
        if (_cluster.FirstGiven(parse) is { } option)
            throw new UsageException($"--state-dir and {option}: a local state directory is read without a cluster; give one or the other");
        return dir;
    }

    /// <summary>A cluster connection (for the verbs that change a sweep).</summary>
    public async Task<ClusterConnection> ConnectAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        try
        {
            return await ClusterConnection.ConnectAsync(_cluster.Read(parse), _cluster.ConnectTimeout(parse), cancellationToken);
        }
        // After the quick start (`local`, state in ./.gradguess) a reader without --state-dir goes to the default gateway.
        catch (ClusterUnavailableException e) when (allowOffline && _cluster.IsDefault(parse) && LocalStateHere() is { } here)
        {
            throw new ClusterUnavailableException($"{e.Message.TrimEnd('.')}; a local run's state is in {here}: add --state-dir {here} to read it", e.InnerException);
        }
    }

    /// <summary>The default state directory of <c>local</c> in the working directory, when it holds a state.</summary>
    private static string? LocalStateHere() =>
        Directory.Exists(Path.Combine(LocalHostOptions.DefaultStateDirectory, "state")) ? LocalHostOptions.DefaultStateDirectory : null;
}
