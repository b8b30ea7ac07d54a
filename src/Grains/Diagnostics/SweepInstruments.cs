using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace GradGuessCluster.Grains.Diagnostics;

/// <summary>
/// The product's OpenTelemetry instruments. Grains report through these static methods; the host exports the
/// meter <see cref="MetricNames.Meter"/> at /metrics. Gauges keep the latest value per label set.
/// </summary>
public static class SweepInstruments
{
    private static readonly Meter Meter = new(MetricNames.Meter, "1.0");

    private static readonly Counter<long> EpochsCompletedCounter = Meter.CreateCounter<long>(
        MetricNames.EpochsCompleted, unit: "{epoch}", description: "Cell-epochs completed");
    private static readonly Histogram<double> EpochDurationHistogram = Meter.CreateHistogram<double>(
        MetricNames.EpochDuration, unit: "s", description: "Wall time of one epoch's training pass",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricNames.EpochDurationBuckets });
    private static readonly Histogram<double> CheckpointHistogram = Meter.CreateHistogram<double>(
        MetricNames.CheckpointDuration, unit: "s", description: "Time to write one checkpoint",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricNames.CheckpointDurationBuckets });
    private static readonly Gauge<double> SamplesRate = Meter.CreateGauge<double>(
        MetricNames.SamplesPerSecond, unit: "{sample}/s", description: "Training samples per second of the cell's last epoch");
    private static readonly Gauge<double> TrainAccuracyGauge = Meter.CreateGauge<double>(
        MetricNames.TrainAccuracy, description: "Latest training-set accuracy of the cell");
    private static readonly Gauge<double> TestAccuracyGauge = Meter.CreateGauge<double>(
        MetricNames.TestAccuracy, description: "Latest test-set accuracy of the cell");
    private static readonly Gauge<double> TrainLossGauge = Meter.CreateGauge<double>(
        MetricNames.TrainLoss, description: "Mean training loss of the cell's last epoch");
    private static readonly Gauge<double> CosineGauge = Meter.CreateGauge<double>(
        MetricNames.CosineSimilarity, description: "Mean cosine similarity of the cell's updates with the true gradient");

    // Observable gauges read these snapshots, so a scrape always sees the latest counts even between events.
    private static readonly ConcurrentDictionary<(string Sweep, string State), long> CellCounts = new();
    private static readonly ConcurrentDictionary<(string Silo, int Device), (int Used, int Free)> GpuSlots = new();

    static SweepInstruments()
    {
        Meter.CreateObservableGauge(MetricNames.Cells,
            () => CellCounts.Select(kv => new Measurement<long>(kv.Value,
                new KeyValuePair<string, object?>("sweep", kv.Key.Sweep), new KeyValuePair<string, object?>("state", kv.Key.State))),
            unit: "{cell}", description: "Cells of each sweep by state");
        Meter.CreateObservableGauge(MetricNames.GpuSlotsUsed,
            () => GpuSlots.Select(kv => new Measurement<int>(kv.Value.Used, SlotTags(kv.Key))),
            unit: "{slot}", description: "Training slots in use per device");
        Meter.CreateObservableGauge(MetricNames.GpuSlotsFree,
            () => GpuSlots.Select(kv => new Measurement<int>(kv.Value.Free, SlotTags(kv.Key))),
            unit: "{slot}", description: "Free training slots per device");
    }

    /// <summary>Records one finished epoch of one cell.</summary>
    public static void EpochCompleted(CellLabels cell, double seconds, long samples, double trainLoss,
        double? trainAccuracy, double? testAccuracy, double? cosineSimilarity)
    {
        var tags = cell.ToTags();
        EpochsCompletedCounter.Add(1, tags);
        EpochDurationHistogram.Record(seconds, tags[1], tags[2]);
        if (seconds > 0) SamplesRate.Record(samples / seconds, tags);
        if (double.IsFinite(trainLoss)) TrainLossGauge.Record(trainLoss, tags);
        if (trainAccuracy is { } tr) TrainAccuracyGauge.Record(tr, tags);
        if (testAccuracy is { } te) TestAccuracyGauge.Record(te, tags);
        if (cosineSimilarity is { } cs) CosineGauge.Record(cs, tags);
    }

    /// <summary>Replaces the cell-state counts of one sweep (called by its coordinator after each change).</summary>
    public static void SetCellStates(string sweep, IReadOnlyDictionary<string, int> countsByState)
    {
        foreach (var (state, count) in countsByState) CellCounts[(sweep, state)] = count;
        foreach (var key in CellCounts.Keys.Where(k => k.Sweep == sweep && !countsByState.ContainsKey(k.State)))
            CellCounts[key] = 0;
    }

    /// <summary>Replaces the slot use of one device of one silo.</summary>
    public static void SetGpuSlots(string silo, int device, int used, int free) => GpuSlots[(silo, device)] = (used, free);

    public static void CheckpointWritten(double seconds, string method) =>
        CheckpointHistogram.Record(seconds, new KeyValuePair<string, object?>("method", method));

    private static KeyValuePair<string, object?>[] SlotTags((string Silo, int Device) key) =>
        [new("silo", key.Silo), new("device", key.Device.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
