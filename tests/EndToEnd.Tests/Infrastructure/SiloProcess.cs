using System.Net;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A silo as a real process: <c>dotnet gradguess.dll silo ...</c> on free loopback ports, its own state directory,
/// and the membership timeouts lowered so that a killed silo is declared dead within seconds.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private SiloProcess(string name, ManagedProcess process, int gatewayPort, int httpPort)
    {
        Name = name;
        Process = process;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
    }

    public string Name { get; }

    public ManagedProcess Process { get; }

    public int GatewayPort { get; }

    public int HttpPort { get; }

    public string Gateway => $"127.0.0.1:{GatewayPort}";

    public Uri MetricsUri => new($"http://127.0.0.1:{HttpPort}/metrics");

    /// <summary>Starts the silo; <paramref name="extraArgs"/> choose clustering, storage and slots. Its log and (unless
    /// <paramref name="stateDirectory"/> says otherwise) its state go to <c>{dir}/{name}</c>. <paramref name="environment"/>
    /// adds to its environment (a node's own data cache, say). The gateway port is a free one unless
    /// <paramref name="gatewayPort"/> names it (a silo coming back where clients know it).</summary>
    public static SiloProcess Start(string name, TempDirectory dir, IEnumerable<string> extraArgs, string? stateDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, int? gatewayPort = null)
    {
        int siloPort = FreePorts.Next(), httpPort = FreePorts.Next();
        var gateway = gatewayPort ?? FreePorts.Next();
        var state = stateDirectory ?? dir.Combine(name);
        var logs = dir.Combine(name);
        Directory.CreateDirectory(logs);
        Directory.CreateDirectory(state);
        string[] args =
        [
            RepoPaths.GradguessDll, "silo", "--silo-name", name, "--silo-port", $"{siloPort}", "--gateway-port", $"{gateway}",
            "--http-port", $"{httpPort}", "--state-dir", state,
            "--GradGuess:Membership:ProbeTimeout=00:00:01", "--GradGuess:Membership:NumMissedProbesLimit=2",
            "--GradGuess:Membership:TableRefreshTimeout=00:00:02", "--GradGuess:Membership:IAmAliveTablePublishTimeout=00:00:05",
            .. extraArgs,
        ];
        var process = ManagedProcess.Start("dotnet", args, Path.Combine(logs, "silo.log"), logs,
            new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
            {
                ["Logging__LogLevel__Default"] = "Information", ["DOTNET_gcServer"] = "0",
            });
        return new SiloProcess(name, process, gateway, httpPort);
    }

    /// <summary>Waits for <c>/healthz</c> to answer 200 (the silo joined its cluster).</summary>
    public Task WaitActiveAsync(TimeSpan timeout) =>
        Waiting.UntilAsync(async () =>
        {
            if (Process.HasExited) throw new WaitAbortedException($"silo {Name} exited ({Process.ExitCode}):\n{Process.LogTail()}");
            var response = await Http.GetAsync($"http://127.0.0.1:{HttpPort}/healthz");
            return response.StatusCode == HttpStatusCode.OK;
        }, timeout, () => $"silo {Name} not active:\n{Process.LogTail()}", TimeSpan.FromMilliseconds(300));

    public async Task<HttpStatusCode> HealthAsync() => (await Http.GetAsync($"http://127.0.0.1:{HttpPort}/healthz")).StatusCode;

    public Task<string> MetricsAsync() => Http.GetStringAsync(MetricsUri);

    public void Dispose() => Process.Dispose();
}
