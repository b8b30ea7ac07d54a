using Xunit.Abstractions;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using static GradGuessCluster.EndToEnd.Tests.Infrastructure.YamlTree;

namespace GradGuessCluster.EndToEnd.Tests.Deploy;

/// <summary>The docker-compose Prometheus configuration is valid (promtool) and scrapes every silo service.</summary>
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
        var targets = List(job, "static_configs").SelectMany(c => List(c, "targets")).Cast<string>().ToList();
        Assert.Equal(silos.Order(), targets.Order());
    }
}
