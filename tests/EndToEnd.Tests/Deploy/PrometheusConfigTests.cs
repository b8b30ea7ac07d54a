using Xunit.Abstractions;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using static GradGuessCluster.EndToEnd.Tests.Infrastructure.YamlTree;

namespace GradGuessCluster.EndToEnd.Tests.Deploy;

/// <summary>The docker-compose Prometheus configuration is valid (promtool) and finds every silo service; the alerting
/// rules both configurations load pass their unit tests.</summary>
public sealed class PrometheusConfigTests
{
    private static readonly string ComposeConfig = RepoPaths.Combine("deploy", "prometheus", "prometheus.yml");
    private static readonly string Alerts = RepoPaths.Combine("deploy", "prometheus", "alerts.yml");

    [Fact]
    public async Task PrometheusConfig_Promtool_AcceptsIt()
    {
        Assert.True(ToolRun.Exists("promtool"), "promtool is missing: install Debian's prometheus package (.ci/run does)");
        var run = await ToolRun.RunAsync("promtool", ["check", "config", ComposeConfig]);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Alerts_FireAsTheirUnitTestsExpect()
    {
        Assert.True(ToolRun.Exists("promtool"), "promtool is missing: install Debian's prometheus package (.ci/run does)");
        // A problem reported by two silos alerts once; none, or one for under 2 minutes, does not; running cells with no
        // epoch for 30 minutes do; a silo that stops answering does.
        var run = await ToolRun.RunAsync("promtool", ["test", "rules", RepoPaths.Combine("tests", "TestData", "prometheus", "alerts-test.yml")]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("SUCCESS", run.Stdout);
    }

    [Fact]
    public void KubernetesConfig_LoadsTheRulesFileProjectedBesideIt()
    {
        // Debian's promtool has no Kubernetes discovery and refuses this file, so its rule file is checked here: the
        // name the Prometheus pod finds next to its configuration (deploy/k8s/prometheus.yaml projects both into one
        // directory; KustomizeBuildTests checks that volume), and the file promtool checks through the compose config.
        var config = LoadMapping(File.ReadAllText(RepoPaths.Combine("deploy", "k8s", "prometheus", "prometheus.yml")));
        Assert.Equal(["alerts.yml"], List(config, "rule_files").Cast<string>());
        Assert.Equal(List(LoadMapping(File.ReadAllText(ComposeConfig)), "rule_files"), List(config, "rule_files"));
        Assert.True(File.Exists(Alerts));
    }

    /// <summary>Every compose silo is scraped on its HTTP port; those of the default profile are listed (a stopped one
    /// then reads up == 0 for the GradGuessSiloDown alert: found through Docker's DNS, it vanished instead), and the
    /// GPU profile's is found through DNS (no target that is always down without that profile).</summary>
    [Fact]
    public async Task PrometheusConfig_Targets_CoverEveryComposeSiloOnItsHttpPort()
    {
        var compose = await ToolRun.RunAsync("docker-compose", ["-f", "docker-compose.yml", "--profile", "gpu", "config"]);
        Assert.True(compose.ExitCode == 0, compose.ToString());
        var silos = Map(LoadMapping(compose.Stdout), "services")
            .Where(s => Map(s.Value, "environment").ContainsKey("GradGuess__Clustering"))
            .Select(s => (Target: $"{s.Key}:{Map(s.Value, "environment").GetValueOrDefault("GradGuess__HttpPort") ?? "8080"}",
                Optional: List(s.Value, "profiles").Count > 0))
            .ToList();
        var always = silos.Where(s => !s.Optional).Select(s => s.Target).ToList();
        var all = silos.Select(s => s.Target).ToList();
        Assert.NotEmpty(always);
        Assert.True(all.Count > always.Count, "the gpu profile adds a silo");

        var jobs = SiloJobs();
        Assert.All(jobs, j => Assert.Equal("/metrics", Str(j, "metrics_path")));
        var listed = jobs.Where(j => j.ContainsKey("static_configs"))
            .SelectMany(j => List(j, "static_configs")).SelectMany(c => List(c, "targets").Cast<string>()).ToList();
        var discovered = jobs.Where(j => j.ContainsKey("dns_sd_configs")).SelectMany(j => List(j, "dns_sd_configs"))
            .SelectMany(c => List(c, "names").Cast<string>().Select(n => $"{n}:{Str(c, "port")}")).ToList();
        Assert.Equal(always.Order(), listed.Order());
        Assert.Equal(all.Order(), listed.Concat(discovered).Order());
    }

    [Fact]
    public void PrometheusConfig_Instances_AreNamedByServiceAndPort_AndEveryJobReadsAsTheSilos()
    {
        // The dashboard's per-silo legends show {{instance}}: DNS discovery would make it a container IP. The alerts and
        // panels select job="gradguess-silo".
        var discovered = Assert.Single(SiloJobs(), j => j.ContainsKey("dns_sd_configs"));
        var relabels = List(discovered, "relabel_configs");
        var instance = Assert.Single(relabels, r => Str(r, "target_label") == "instance");
        Assert.Equal(["__meta_dns_name"], List(instance, "source_labels").Cast<string>());
        var ports = List(discovered, "dns_sd_configs").Select(c => Str(c, "port")).Distinct().ToList();
        Assert.Equal($"${{1}}:{Assert.Single(ports)}", Str(instance, "replacement"));
        Assert.Equal("gradguess-silo", Str(Assert.Single(relabels, r => Str(r, "target_label") == "job"), "replacement"));
    }

    /// <summary>The compose configuration's scrape jobs of silos (named gradguess-silo, or gradguess-silo-*).</summary>
    private static List<Dictionary<string, object?>> SiloJobs() =>
        List(LoadMapping(File.ReadAllText(ComposeConfig)), "scrape_configs").Cast<Dictionary<string, object?>>()
            .Where(j => Str(j, "job_name")?.StartsWith("gradguess-silo", StringComparison.Ordinal) == true).ToList();

    /// <summary>Grafana's data source states the scrape interval ($__rate_interval is four of it): both Prometheus
    /// configurations must scrape that often, or rate panels span too few samples and flap (the k8s one scraped every
    /// 10 s under a 5 s data source).</summary>
    [Fact]
    public void BothPrometheusConfigs_ScrapeAsOftenAsGrafanasDataSourceAssumes()
    {
        var datasource = Assert.Single(List(LoadMapping(File.ReadAllText(
            RepoPaths.Combine("deploy", "grafana", "provisioning", "datasources", "prometheus.yml"))), "datasources"));
        var assumed = Str(datasource, "jsonData.timeInterval");
        Assert.NotNull(assumed);
        foreach (var config in new[] { ComposeConfig, RepoPaths.Combine("deploy", "k8s", "prometheus", "prometheus.yml") })
            Assert.Equal(assumed, Str(LoadMapping(File.ReadAllText(config)), "global.scrape_interval"));
    }
}
