using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Acceptance: a real Prometheus scrapes a running silo; after a small sweep the product's series come back through
/// Prometheus' HTTP API; and every metric a Grafana panel queries exists in the silo's /metrics output.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class MetricsEndToEndTests(SingleSiloFixture fixture, ITestOutputHelper output) : IClassFixture<SingleSiloFixture>
{
    private const string Sweep = SingleSiloFixture.MetricsSweep;

    [Fact]
    public async Task Prometheus_AfterASweep_ReturnsTheProductSeriesThroughItsHttpApi()
    {
        await fixture.MetricsSweepAsync();
        var prometheus = fixture.Prometheus;
        double epochs = 0;
        // Scrapes are 1 s apart: wait until one has seen the finished sweep.
        await Waiting.UntilAsync(async () =>
        {
            var r = await prometheus.QueryAsync($"sum(gradguess_epochs_completed_total{{sweep=\"{Sweep}\"}})");
            epochs = r.Count == 1 ? r[0].Value : 0;
            return epochs == SingleSiloFixture.MetricsCells * SingleSiloFixture.MetricsEpochs;
        }, TimeSpan.FromSeconds(30), () => $"epochs completed seen by Prometheus: {epochs}\n{prometheus.LogTail()}");

        var completed = await prometheus.QueryAsync($"gradguess_cells{{sweep=\"{Sweep}\",state=\"completed\"}}");
        Assert.Equal(SingleSiloFixture.MetricsCells, Assert.Single(completed).Value);
        // Nothing left once completed (a scrape may have come between the last epoch and the sweep's completion).
        string left = "";
        await Waiting.UntilAsync(async () =>
        {
            var r = await prometheus.QueryAsync($"gradguess_sweep_time_left_seconds{{sweep=\"{Sweep}\"}}");
            left = string.Join(", ", r.Select(x => x.Value));
            return r.Count == 1 && r[0].Value == 0;
        }, TimeSpan.FromSeconds(30), () => $"time left seen by Prometheus: [{left}]");
        var accuracy = await prometheus.QueryAsync($"gradguess_cell_test_accuracy{{sweep=\"{Sweep}\"}}");
        Assert.Equal(SingleSiloFixture.MetricsCells, accuracy.Count);
        Assert.All(accuracy, a => Assert.InRange(a.Value, 0, 1));
        Assert.Equal(["backprop", "wt"], accuracy.Select(a => (string)a.Labels["method"]!).Distinct().Order());
        Assert.Equal(["0.001", "0.01"], accuracy.Select(a => (string)a.Labels["lr"]!).Distinct().Order());
        var cosine = await prometheus.QueryAsync($"gradguess_cell_cosine_similarity{{sweep=\"{Sweep}\",method=\"wt\"}}");
        Assert.All(cosine, c => Assert.InRange(c.Value, -1, 1));
        Assert.NotEmpty(cosine);
        var step = await prometheus.QueryAsync($"gradguess_cell_step_cosine{{sweep=\"{Sweep}\",method=\"wt\"}}");
        Assert.Equal(cosine.Count, step.Count);
        Assert.All(step, c => Assert.InRange(c.Value, -1, 1));
        // Epoch-duration buckets are the product's, not the exporter's defaults.
        var buckets = await prometheus.QueryAsync("gradguess_epoch_duration_seconds_bucket{method=\"wt\"}");
        Assert.Contains(buckets, b => (string?)b.Labels["le"] == "0.05");
        var up = await prometheus.QueryAsync("up{job=\"gradguess-silo\"}");
        Assert.Equal(1, Assert.Single(up).Value);
    }

    [Fact]
    public async Task Dashboard_EveryQueriedMetric_ExistsInTheSilosMetricsOutput()
    {
        await fixture.MetricsSweepAsync();
        var exposed = (await fixture.Silo.MetricsAsync()).Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet();
        var queried = DashboardQueries.ProductMetricNames(DashboardQueries.Load());
        output.WriteLine($"dashboard reads {queried.Count} metrics: {string.Join(", ", queried.Order())}");
        Assert.NotEmpty(queried);
        Assert.Empty(queried.Where(m => !exposed.Contains(m)).Order());
        // And the alerting rules (an alert on a metric nobody exports would never fire).
        var alerted = YamlTree.List(YamlTree.List(YamlTree.LoadMapping(File.ReadAllText(RepoPaths.Combine("deploy", "prometheus", "alerts.yml"))), "groups")
                .Single(), "rules")
            .SelectMany(r => PromQl.MetricNames(YamlTree.Str(r, "expr")!)).Where(n => !DashboardQueries.PrometheusSeries.Contains(n)).ToHashSet();
        Assert.Equal(["gradguess_cells", "gradguess_checkpoint_dir_unshared", "gradguess_epochs_completed_total", "gradguess_sweep_problem"], alerted.Order());
        Assert.Empty(alerted.Where(m => !exposed.Contains(m)).Order());
    }
}
