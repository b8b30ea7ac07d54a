using GradGuessCluster.EndToEnd.Tests.Infrastructure;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>One silo process (localhost clustering, file storage, two CPU training slots) and a Prometheus scraping it.
/// <see cref="MetricsSweepAsync"/> runs one small sweep with cosine diagnostics, once, for the metric tests.</summary>
public sealed class SingleSiloFixture : IAsyncLifetime
{
    public const string MetricsSweep = "e2e-metrics";
    public const int MetricsCells = 4, MetricsEpochs = 12;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _metricsSweepDone;

    public TempDirectory Dir { get; } = new("gg-single");

    public string ClusterId { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..8];

    public SiloProcess Silo { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    /// <summary>CLI options that reach this silo.</summary>
    public string[] Connect => ["--gateway", Silo.Gateway, "--cluster-id", ClusterId, "--service-id", ClusterId];

    public async Task InitializeAsync()
    {
        Silo = SiloProcess.Start("single", Dir,
            ["--cluster-id", ClusterId, "--service-id", ClusterId, "--cpu-training", "--cpu-slots", "2"]);
        await Silo.WaitActiveAsync(TimeSpan.FromSeconds(90));
        Prometheus = await PrometheusServer.StartAsync([$"127.0.0.1:{Silo.HttpPort}"]);
    }

    /// <summary>Submits and waits for the metrics sweep (2 methods × 2 LRs, cosine sampled) the first time it is called.</summary>
    public async Task MetricsSweepAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_metricsSweepDone) return;
            var spec = TestSpecs.Write(Dir, MetricsSweep, ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0], MetricsEpochs, cosineEvery: 4);
            await Gradguess.OkAsync(["submit", spec, .. Connect]);
            await Gradguess.OkAsync(["watch", MetricsSweep, .. Connect]);
            _metricsSweepDone = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        await Prometheus.DisposeAsync();
        Silo.Dispose();
        Dir.Dispose();
    }
}
