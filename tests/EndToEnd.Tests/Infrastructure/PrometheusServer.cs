using System.Globalization;
using System.Text.Json.Nodes;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>A real Prometheus (Debian package) on a free loopback port, scraping the given targets every second,
/// with its TSDB in a temp directory; optionally evaluating a rules file every second and sending its alerts to an
/// Alertmanager.</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly TempDirectory _dir = new("gg-prometheus");
    private ManagedProcess? _process;

    public int Port { get; } = FreePorts.Next();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <param name="rules">A rules file, loaded as it is (copied beside the configuration).</param>
    /// <param name="alertmanager">host:port of the Alertmanager its alerts go to.</param>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<string> targets, string? rules = null, string? alertmanager = null)
    {
        var server = new PrometheusServer();
        var config = server._dir.Combine("prometheus.yml");
        if (rules is not null) File.Copy(rules, server._dir.Combine("rules.yml"));
        var ruleFiles = rules is null ? "" : "rule_files: [rules.yml]\n";
        var alerting = alertmanager is null ? "" : $"alerting: {{alertmanagers: [{{static_configs: [{{targets: [\"{alertmanager}\"]}}]}}]}}\n";
        File.WriteAllText(config, ruleFiles + alerting + $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: gradguess-silo
                metrics_path: /metrics
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"\"{t}\""))}]
            """);
        server._process = ManagedProcess.Start("prometheus",
            [$"--config.file={config}", $"--storage.tsdb.path={server._dir.Combine("data")}", $"--web.listen-address=127.0.0.1:{server.Port}"],
            server._dir.Combine("prometheus.log"));
        await Waiting.UntilAsync(async () => (await Http.GetAsync($"{server.BaseUrl}/-/ready")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), () => "prometheus not ready\n" + server._process.LogTail());
        return server;
    }

    /// <summary>An instant query through <c>/api/v1/query</c>: (labels, value) of each series.</summary>
    public async Task<IReadOnlyList<(JsonObject Labels, double Value)>> QueryAsync(string promql)
    {
        var json = JsonNode.Parse(await Http.GetStringAsync($"{BaseUrl}/api/v1/query?query={Uri.EscapeDataString(promql)}"))!;
        if ((string?)json["status"] != "success") throw new InvalidOperationException($"query {promql} failed: {json}");
        return json["data"]!["result"]!.AsArray()
            .Select(r => (r!["metric"]!.AsObject(), double.Parse((string)r["value"]![1]!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    public string LogTail() => _process?.LogTail() ?? "";

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
