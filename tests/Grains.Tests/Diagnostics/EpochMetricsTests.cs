using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Diagnostics;

/// <summary>What a packed sweep records through the grains: every cell's epochs count, but a pack's epoch time is one
/// sample per epoch (the pack trains its cells in one pass; a sample per cell would weigh packed sweeps' percentiles
/// by their pack size).</summary>
public sealed class EpochMetricsTests
{
    [Fact]
    public async Task PackedSweep_CountsEveryCellsEpochs_ButTimesEachPackEpochOnce()
    {
        const string sweep = "metrics-pack";
        const int epochs = 4;
        var durations = new ConcurrentBag<double>();
        long epochsCompleted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MetricNames.Meter && instrument.Name is MetricNames.EpochDuration or MetricNames.EpochsCompleted)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (IsOf(sweep, tags)) durations.Add(value);
        });
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (IsOf(sweep, tags)) Interlocked.Add(ref epochsCompleted, value);
        });
        listener.Start();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5)));

        // Three LRs packed into one pack of three cells.
        await cluster.Sweep(sweep).SubmitAsync(TestSpecs.Small(sweep, [0.1, 0.01, 0.001], epochs, PackingMode.Lr));
        var status = await cluster.WaitForFinishAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Assert.Equal(3 * epochs, Interlocked.Read(ref epochsCompleted));
        Assert.Equal(epochs, durations.Count);
    }

    private static bool IsOf(string sweep, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var t in tags)
            if (t.Key == "sweep") return t.Value as string == sweep;
        return false;
    }
}
