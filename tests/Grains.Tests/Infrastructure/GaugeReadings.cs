using System.Diagnostics.Metrics;
using GradGuessCluster.Grains.Diagnostics;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>What the product's observable gauges report in this process right now, as a scrape would read them.</summary>
public static class GaugeReadings
{
    /// <summary>One reading per series of the named instruments (of value type <typeparamref name="T"/>).</summary>
    public static List<(string Instrument, T Value, Dictionary<string, object?> Tags)> Read<T>(params string[] instruments) where T : struct
    {
        var readings = new List<(string, T, Dictionary<string, object?>)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MetricNames.Meter && instruments.Contains(instrument.Name)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<T>((instrument, value, tags, _) =>
            readings.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        listener.RecordObservableInstruments();
        return readings;
    }

    /// <summary>The value <paramref name="instrument"/> reports now for <paramref name="sweep"/>; null without a series.</summary>
    public static T? OfSweep<T>(string instrument, string sweep) where T : struct =>
        Read<T>(instrument).Where(r => Equals(r.Tags["sweep"], sweep)).Select(r => (T?)r.Value).LastOrDefault();
}
