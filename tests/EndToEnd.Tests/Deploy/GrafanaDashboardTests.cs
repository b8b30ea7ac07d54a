using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using static GradGuessCluster.EndToEnd.Tests.Infrastructure.YamlTree;

namespace GradGuessCluster.EndToEnd.Tests.Deploy;

/// <summary>The dashboard JSON is well-formed for Grafana and provisioned where compose mounts it. (That every metric it
/// queries exists in a silo's /metrics is checked against a running silo in Cluster/MetricsEndToEndTests.)</summary>
public sealed class GrafanaDashboardTests
{
    private readonly JsonObject _dashboard = DashboardQueries.Load();

    [Fact]
    public void Dashboard_Panels_HaveUniqueIdsQueriesAndFitTheGrid()
    {
        Assert.Equal("gradguess", (string?)_dashboard["uid"]);
        var panels = DashboardQueries.Panels(_dashboard).ToList();
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        foreach (var panel in panels.Where(p => (string?)p["type"] != "row"))
        {
            string title = (string)panel["title"]!;
            Assert.NotNull(panel["datasource"]);
            var targets = panel["targets"]!.AsArray();
            Assert.NotEmpty(targets);
            Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace((string?)t!["expr"]), title));
            var grid = panel["gridPos"]!;
            Assert.True((int)grid["x"]! + (int)grid["w"]! <= 24, title);
        }
    }

    [Fact]
    public void Dashboard_Queries_CoverTheIssuesViews()
    {
        var names = DashboardQueries.ProductMetricNames(_dashboard);
        foreach (var expected in new[]
                 {
                     "gradguess_cells", "gradguess_epochs_completed_total", "gradguess_cell_train_accuracy", "gradguess_cell_test_accuracy",
                     "gradguess_samples_total", "gradguess_epoch_duration_seconds_bucket", "gradguess_gpu_slots_used",
                     "gradguess_gpu_slots_free", "gradguess_sweep_time_left_seconds", "gradguess_cpu_memory_held_bytes",
                     "gradguess_machine_memory_free_bytes",
                 })
            Assert.Contains(expected, names);
        Assert.Contains(names, n => n.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(DashboardQueries.Expressions(_dashboard), e => e.Expr.Contains("max by (sweep, method, optimizer)"));
        Assert.Contains(DashboardQueries.Expressions(_dashboard), e => e.Expr.Contains("up{"));
    }

    /// <summary>The sweep selector holds for every product panel (slot use is per silo, not per sweep), and no panel
    /// averages one sweep's cells with another's: each per-cell aggregation keeps the sweep label.</summary>
    [Fact]
    public void Dashboard_ProductQueries_FollowTheSweepSelector_AndNeverMixSweeps()
    {
        foreach (var (title, expr) in DashboardQueries.Expressions(_dashboard))
        {
            var product = PromQl.MetricNames(expr).Where(n => n.StartsWith("gradguess_", StringComparison.Ordinal)).ToList();
            // Per-silo series (slots, CPU pack memory, the machine's memory, the checkpoint directory check) belong to no sweep.
            if (product.Count == 0 || product.All(n => n.StartsWith("gradguess_gpu_", StringComparison.Ordinal)
                || n.StartsWith("gradguess_cpu_", StringComparison.Ordinal) || n.StartsWith("gradguess_machine_", StringComparison.Ordinal)
                || n.StartsWith("gradguess_checkpoint_dir_", StringComparison.Ordinal))) continue;
            Assert.True(expr.Contains("sweep=~\"$sweep\""), $"{title}: {expr}");
            if (product.Any(n => n.StartsWith("gradguess_cell_", StringComparison.Ordinal)))
                Assert.True(System.Text.RegularExpressions.Regex.IsMatch(expr, @"^(avg|max) by \(sweep,"), $"{title}: {expr}");
        }
    }

    [Fact]
    public void Provisioning_DashboardProviderAndDatasource_MatchTheComposeMounts()
    {
        var provider = Assert.Single(List(LoadMapping(File.ReadAllText(
            RepoPaths.Combine("deploy", "grafana", "provisioning", "dashboards", "gradguess.yml"))), "providers"));
        Assert.Equal("/var/lib/grafana/dashboards", Str(provider, "options.path"));
        var datasource = Assert.Single(List(LoadMapping(File.ReadAllText(
            RepoPaths.Combine("deploy", "grafana", "provisioning", "datasources", "prometheus.yml"))), "datasources"));
        Assert.Equal("prometheus", Str(datasource, "type"));
        Assert.Equal("http://prometheus:9090", Str(datasource, "url"));
        Assert.Contains("/var/lib/grafana/dashboards", File.ReadAllText(RepoPaths.Combine("docker-compose.yml")));
    }

    /// <summary>Each provisioned datasource points at a service both deployments run, on the port it serves there
    /// (compose: a service of that name and its container port, which Grafana starts after; Kubernetes: a Service of that
    /// name and port), and the Kubernetes Grafana is given every datasource file.</summary>
    [Fact]
    public async Task Provisioning_EachDatasource_PointsAtAServiceOfBothDeployments()
    {
        var dir = RepoPaths.Combine("deploy", "grafana", "provisioning", "datasources");
        var files = Directory.GetFiles(dir, "*.yml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList();
        var generator = Assert.Single(List(LoadMapping(File.ReadAllText(RepoPaths.Combine("deploy", "grafana", "kustomization.yaml"))),
            "configMapGenerator"), g => Str(g, "name") == "grafana-datasources");
        Assert.Equal(files.Select(f => $"provisioning/datasources/{f}"), List(generator, "files").Cast<string>().Order(StringComparer.Ordinal));

        var urls = files.SelectMany(f => List(LoadMapping(File.ReadAllText(Path.Combine(dir, f))), "datasources"))
            .Select(d => new Uri(Str(d, "url")!)).ToList();
        Assert.Equal(["alertmanager", "prometheus"], urls.Select(u => u.Host).Order(StringComparer.Ordinal));
        var compose = await ToolRun.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config"]);
        Assert.True(compose.ExitCode == 0, compose.ToString());
        var services = Map(LoadMapping(compose.Stdout), "services");
        var manifests = K8sManifests.Load();
        foreach (var url in urls)
        {
            Assert.True(services.TryGetValue(url.Host, out var service), $"{url}: docker-compose.yml has no service '{url.Host}'");
            // Short syntax as `config` prints it: [HOST_IP:]PUBLISHED:TARGET/PROTOCOL; Grafana reaches the target port.
            Assert.Contains(List(service, "ports").Cast<string>(), p => p.Split('/')[0].Split(':')[^1] == url.Port.ToString());
            Assert.NotNull(Get(services["grafana"], $"depends_on.{url.Host}"));
            var k8sService = K8sManifests.Named(manifests, "Service", url.Host);
            Assert.Contains(List(k8sService, "spec.ports"), p => Str(p, "port") == url.Port.ToString());
        }
    }

    [Theory]
    [InlineData("sum by (state) (max by (sweep, state) (gradguess_cells{sweep=~\"$sweep\"}))", "gradguess_cells")]
    [InlineData("histogram_quantile(0.95, sum by (le) (rate(a_bucket{x=\"y\"}[$__rate_interval]))) / b_total * 60", "a_bucket,b_total")]
    [InlineData("max by (method, optimizer) (max_over_time(m{a=\"b,c\"}[$__range]))", "m")]
    [InlineData("sum(up{job=\"gradguess-silo\"}) and on (instance) x offset 5m", "up,x")]
    public void PromQl_MetricNames_FindsExactlyTheSelectedSeries(string expr, string expected) =>
        Assert.Equal(expected.Split(',').Order(), PromQl.MetricNames(expr).Order());
}
