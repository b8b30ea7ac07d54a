namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>A real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port, with the given configuration
/// and its silences in a temp directory; no peers (its gossip port is off).</summary>
public sealed class AlertmanagerServer : IAsyncDisposable
{
    public const string Binary = "prometheus-alertmanager";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly TempDirectory _dir = new("gg-alertmanager");
    private ManagedProcess? _process;

    public int Port { get; } = FreePorts.Next();

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<AlertmanagerServer> StartAsync(string configText)
    {
        var server = new AlertmanagerServer();
        var config = server._dir.Combine("alertmanager.yml");
        File.WriteAllText(config, configText);
        server._process = ManagedProcess.Start(Binary,
            [$"--config.file={config}", $"--storage.path={server._dir.Combine("data")}", $"--web.listen-address={server.Address}",
             "--cluster.listen-address="],
            server._dir.Combine("alertmanager.log"));
        await Waiting.UntilAsync(async () => (await Http.GetAsync($"http://{server.Address}/-/ready")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), () => "alertmanager not ready\n" + server._process.LogTail());
        return server;
    }

    public string LogTail() => _process?.LogTail() ?? "";

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
