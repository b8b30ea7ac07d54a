using GradGuessCluster.Grains.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>OpenTelemetry metrics: Orleans' meter and the product's, exported for Prometheus at /metrics.</summary>
public static class TelemetrySetup
{
    /// <summary>The Orleans runtime's meter (grains, messaging, membership, storage latency).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public static IServiceCollection AddGradGuessMetrics(this IServiceCollection services, string serviceInstance)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("gradguess-silo", serviceInstanceId: serviceInstance))
            .WithMetrics(m => m
                .AddMeter(OrleansMeter, MetricNames.Meter)
                // Explicit views, so the buckets hold even where a listener ignores the instruments' advice.
                .AddView(MetricNames.EpochDuration, new ExplicitBucketHistogramConfiguration { Boundaries = MetricNames.EpochDurationBuckets })
                .AddView(MetricNames.CheckpointDuration, new ExplicitBucketHistogramConfiguration { Boundaries = MetricNames.CheckpointDurationBuckets })
                .AddPrometheusExporter());
        return services;
    }
}
