using Xunit.Abstractions;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using static GradGuessCluster.EndToEnd.Tests.Infrastructure.YamlTree;

namespace GradGuessCluster.EndToEnd.Tests.Deploy;

/// <summary>The docker-compose Prometheus configuration is valid (promtool) and finds every silo service.</summary>
public sealed class PrometheusConfigTests
{
    private static readonly string ComposeConfig = RepoPaths.Combine("deploy", "prometheus", "prometheus.yml");

    [Fact]
    public async Task PrometheusConfig_Promtool_AcceptsIt()
    {
        Assert.True(ToolRun.Exists("promtool"), "promtool is missing: install Debian's prometheus package (.ci/run does)");
        var run = await ToolRun.RunAsync("promtool", ["check", "config", ComposeConfig]);
        Assert.True(run.ExitCode == 0, run.ToString());
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
