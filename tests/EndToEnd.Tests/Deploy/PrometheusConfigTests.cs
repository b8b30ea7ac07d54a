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
        // epoch for 15 minutes do; a silo that stops answering does.
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

    [Fact]
    public async Task PrometheusConfig_Targets_CoverEveryComposeSiloOnItsHttpPort()
    {
        var compose = await ToolRun.RunAsync("docker-compose", ["-f", "docker-compose.yml", "--profile", "gpu", "config"]);
        Assert.True(compose.ExitCode == 0, compose.ToString());
        var silos = Map(LoadMapping(compose.Stdout), "services")
            .Where(s => Map(s.Value, "environment").ContainsKey("GradGuess__Clustering"))
            .Select(s => $"{s.Key}:{Map(s.Value, "environment").GetValueOrDefault("GradGuess__HttpPort") ?? "8080"}")
            .ToList();
        Assert.NotEmpty(silos);

        var job = Assert.Single(List(LoadMapping(File.ReadAllText(ComposeConfig)), "scrape_configs"),
            j => Str(j, "job_name") == "gradguess-silo");
        Assert.Equal("/metrics", Str(job, "metrics_path"));
        var targets = List(job, "dns_sd_configs")
            .SelectMany(c => List(c, "names").Cast<string>().Select(n => $"{n}:{Str(c, "port")}"))
            .ToList();
        Assert.Equal(silos.Order(), targets.Order());
    }

    [Fact]
    public void PrometheusConfig_Instances_AreNamedByServiceAndPort()
    {
        // The dashboard's per-silo legends show {{instance}}: DNS discovery would make it a container IP.
        var job = List(LoadMapping(File.ReadAllText(ComposeConfig)), "scrape_configs").Single(j => Str(j, "job_name") == "gradguess-silo");
        var relabel = Assert.Single(List(job, "relabel_configs"), r => Str(r, "target_label") == "instance");
        Assert.Equal(["__meta_dns_name"], List(relabel, "source_labels").Cast<string>());
        var ports = List(job, "dns_sd_configs").Select(c => Str(c, "port")).Distinct().ToList();
        Assert.Equal($"${{1}}:{Assert.Single(ports)}", Str(relabel, "replacement"));
    }
}
