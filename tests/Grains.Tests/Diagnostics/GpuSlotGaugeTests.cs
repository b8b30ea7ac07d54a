using System.Diagnostics.Metrics;
using GradGuessCluster.Grains.Diagnostics;

namespace GradGuessCluster.Grains.Tests.Diagnostics;

/// <summary>The slot gauges export the slot ledger's current picture only: a silo that left, or a ledger that moved
/// away, must not keep its last values in Prometheus sums.</summary>
[Collection(nameof(GpuSlotGaugeTests))]   // the gauges are process-wide
public sealed class GpuSlotGaugeTests
{
    [Fact]
    public void DevicesMissingFromTheLatestPicture_AreNoLongerExported_AndForgetClearsThemAll()
    {
        SweepInstruments.SetGpuSlots([("gauge-a", 0, 1, 0), ("gauge-a", 1, 0, 1), ("gauge-b", 0, 1, 1)]);
        Assert.Equal(["gauge-a/0=1", "gauge-a/1=0", "gauge-b/0=1"], Used());

        SweepInstruments.SetGpuSlots([("gauge-a", 0, 0, 1)]);    // gauge-b left the cluster; a's second GPU is gone
        Assert.Equal(["gauge-a/0=0"], Used());

        SweepInstruments.ForgetGpuSlots();
        Assert.Empty(Used());
    }

    /// <summary>What the used-slots gauge reports now, as "silo/device=used", for this test's silos.</summary>
    private static List<string> Used()
    {
        var seen = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MetricNames.Meter && instrument.Name == MetricNames.GpuSlotsUsed) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            var silo = tags.ToArray().Single(t => t.Key == "silo").Value as string;
            var device = tags.ToArray().Single(t => t.Key == "device").Value;
            if (silo!.StartsWith("gauge-", StringComparison.Ordinal)) seen.Add($"{silo}/{device}={value}");
        });
        listener.Start();
        listener.RecordObservableInstruments();
        seen.Sort(StringComparer.Ordinal);
        return seen;
    }
}

/// <summary>Runs alone: every slot ledger of the in-process test clusters publishes into the same process-wide gauges.</summary>
[CollectionDefinition(nameof(GpuSlotGaugeTests), DisableParallelization = true)]
public sealed class GpuSlotGaugeCollection;
