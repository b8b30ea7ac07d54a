using GradGuessCluster.Grains.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>OpenTelemetry metrics: Orleans' meter and the product's, exported for Prometheus at /metrics.</summary>
public static class TelemetrySetup
{
    /// <summary>The Orleans runtime's meter (grains, messaging, membership, storage latency).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Exports both meters at /metrics (the host maps the endpoint) as service <paramref name="service"/>:
    /// <c>gradguess-silo</c> for a silo host, <c>gradguess-local</c> for <c>gradguess local</c>'s embedded one.</summary>
    public static IServiceCollection AddGradGuessMetrics(this IServiceCollection services, string serviceInstance, string service = "gradguess-silo")
    {
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(service, serviceInstanceId: serviceInstance))
            .WithMetrics(m => m.AddGradGuessInstruments().AddPrometheusExporter());
        return services;
    }

    /// <summary>Orleans' meter and the product's, with the product's views.</summary>
    public static MeterProviderBuilder AddGradGuessInstruments(this MeterProviderBuilder metrics)
    {
        metrics.AddMeter(OrleansMeter, MetricNames.Meter)
            // Explicit views, so the buckets hold even where a listener ignores the instruments' advice.
            .AddView(MetricNames.EpochDuration, new ExplicitBucketHistogramConfiguration
            {
                Boundaries = MetricNames.EpochDurationBuckets, CardinalityLimit = MetricNames.SweepGroupSeriesLimit,
            })
            .AddView(MetricNames.CheckpointDuration, new ExplicitBucketHistogramConfiguration
            {
                Boundaries = MetricNames.CheckpointDurationBuckets, CardinalityLimit = MetricNames.SweepGroupSeriesLimit,
            });
        foreach (var instrument in new[] { MetricNames.EpochsCompleted, MetricNames.Samples }.Concat(MetricNames.PerSweepInstruments))
            metrics.AddView(instrument, new MetricStreamConfiguration { CardinalityLimit = MetricNames.SweepGroupSeriesLimit });
        foreach (var gauge in MetricNames.CellGauges)
            metrics.AddView(gauge, new MetricStreamConfiguration { CardinalityLimit = MetricNames.CellSeriesLimit });
        return metrics;
    }
}
