using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace GradGuessCluster.Grains.Diagnostics;

/// <summary>
/// The product's OpenTelemetry instruments. Grains report through these static methods; the host exports the
/// meter <see cref="MetricNames.Meter"/> at /metrics. Gauges are observable and read snapshots kept here, so a series
/// disappears from this silo's /metrics once forgotten: a cell's gauges live while its pack trains here, and for
/// <see cref="MetricNames.EndedCellLinger"/> after the pack finishes or fails (so scrapes see the final values); a pack
/// that stops (yields, is cancelled, moves to another silo) is forgotten here at once, so no series is reported twice.
/// Counters and histograms carry only sweep, method and optimizer, so they stay small however many cells a long-lived
/// silo trains; per-cell series are capped by <see cref="MetricNames.CellSeriesLimit"/> per silo process.
/// </summary>
public static class SweepInstruments
{
    private static readonly Meter Meter = new(MetricNames.Meter, "1.0");

    private static readonly Counter<long> EpochsCompletedCounter = Meter.CreateCounter<long>(
        MetricNames.EpochsCompleted, unit: "{epoch}", description: "Cell-epochs completed");
    private static readonly Counter<long> SamplesCounter = Meter.CreateCounter<long>(
        MetricNames.Samples, unit: "{sample}", description: "Training samples processed, summed over cells");
    private static readonly Histogram<double> EpochDurationHistogram = Meter.CreateHistogram<double>(
        MetricNames.EpochDuration, unit: "s", description: "Wall time of one epoch's training pass",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricNames.EpochDurationBuckets });
    private static readonly Histogram<double> CheckpointHistogram = Meter.CreateHistogram<double>(
        MetricNames.CheckpointDuration, unit: "s", description: "Time to write one checkpoint",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricNames.CheckpointDurationBuckets });

    private static readonly ConcurrentDictionary<CellLabels, CellSnapshot> Cells = new();
    /// <summary>Stopped cells by when their linger ends (under its own lock).</summary>
    private static readonly PriorityQueue<CellLabels, DateTimeOffset> Retiring = new();
    private static readonly ConcurrentDictionary<(string Sweep, string State), long> CellCounts = new();
    private static readonly ConcurrentDictionary<string, SiloSlotUse> SlotUse = new();
    private static readonly ConcurrentDictionary<string, SiloCpuMemory> CpuMemory = new();
    private static readonly ConcurrentDictionary<string, double> TimeLeft = new();
    private static readonly ConcurrentDictionary<string, SweepSlotShare> SlotShares = new();
    private static readonly ConcurrentDictionary<string, string> Problems = new();   // sweep → kind of its problem, or NoProblem
    private static readonly ConcurrentDictionary<string, int> NumericsResumes = new();   // sweep → its packs' resumes under other numerics
    private static readonly ConcurrentDictionary<string, int> UnsharedCheckpoints = new();   // silo → silos not sharing its checkpoint directory

    /// <summary>The kind label of a sweep without a problem (its gauge reads 0).</summary>
    public const string NoProblem = "none";

    static SweepInstruments()
    {
        CellGauge(MetricNames.SamplesPerSecond, s => s.SamplesPerSecond, "{sample}/s", "Training samples per second of the cell's last epoch");
        CellGauge(MetricNames.TrainAccuracy, s => s.TrainAccuracy, null, "Latest training-set accuracy of the cell");
        CellGauge(MetricNames.TestAccuracy, s => s.TestAccuracy, null, "Latest test-set accuracy of the cell");
        CellGauge(MetricNames.TrainLoss, s => s.TrainLoss, null, "Mean training loss of the cell's last epoch");
        CellGauge(MetricNames.CosineSimilarity, s => s.CosineSimilarity, null, "Mean cosine similarity of the cell's updates with the true gradient");
        CellGauge(MetricNames.StepCosine, s => s.StepCosine, null,
            "Mean cosine of the optimizer's steps (the parameters' change) with the descent direction: what it made of the updates");
        Meter.CreateObservableGauge(MetricNames.Cells,
            () => CellCounts.Select(kv => new Measurement<long>(kv.Value,
                new KeyValuePair<string, object?>("sweep", kv.Key.Sweep), new KeyValuePair<string, object?>("state", kv.Key.State))),
            unit: "{cell}", description: "Cells of each sweep by state");
        Meter.CreateObservableGauge(MetricNames.SweepTimeLeft,
            () => TimeLeft.Select(kv => new Measurement<double>(kv.Value, new KeyValuePair<string, object?>("sweep", kv.Key))),
            unit: "s", description: "Time a running sweep has left at its recent pace (0 once completed)");
        Meter.CreateObservableGauge(MetricNames.SweepPacksWaiting, () => ShareOf(s => s.Waiting),
            unit: "{pack}", description: "Packs of a running sweep that are ready to start but have no slot (its own or other sweeps' packs hold them all)");
        Meter.CreateObservableGauge(MetricNames.SweepSlotsHeld, () => ShareOf(s => s.Held),
            unit: "{slot}", description: "Training slots a sweep's packs hold or are taking (its share of the cluster; 0 once stopped)");
        Meter.CreateObservableGauge(MetricNames.SweepPriority, () => ShareOf(s => s.Priority),
            description: "A sweep's priority: its weight in the fair share of training slots (default 1)");
        // Counted by the coordinator from its stored ledger, not by the yielding silos: every sweep exports it from 0
        // (so rate() and a dashboard panel work before the first preemption) and it does not restart with a silo.
        Meter.CreateObservableCounter(MetricNames.PacksPreempted, () => ShareOf(s => s.Preempted),
            unit: "{pack}", description: "Packs of the sweep that gave their slot to another sweep holding less than its share, checkpointing where they stopped");
        // Likewise from the ledger (NumericsResumes): a reproducibility record, not a fault.
        Meter.CreateObservableCounter(MetricNames.PacksResumedOtherNumerics,
            () => NumericsResumes.Select(kv => new Measurement<int>(kv.Value, new KeyValuePair<string, object?>("sweep", kv.Key))),
            unit: "{pack}", description: "Resumes of the sweep's packs under other numerics than their checkpoints were written under "
                + "(libtorch, device kind, threads, oneMKL path): their curves are correct, but not bit for bit an uninterrupted run's");
        Meter.CreateObservableGauge(MetricNames.SweepProblem,
            () => Problems.Select(kv => new Measurement<int>(kv.Value == NoProblem ? 0 : 1,
                new KeyValuePair<string, object?>("sweep", kv.Key), new KeyValuePair<string, object?>("kind", kv.Value))),
            description: "1 while the sweep has a problem that status shows (its kind: ledger_write, epoch_store, curve_gap, " +
                         "admission, pack_start, checkpoint_lost, half_deleted), 0 with kind none: for alerting on a sweep that is stuck");
        Meter.CreateObservableGauge(MetricNames.CheckpointDirUnshared,
            () => UnsharedCheckpoints.Select(kv => new Measurement<int>(kv.Value, new KeyValuePair<string, object?>("silo", kv.Key))),
            unit: "{silo}", description: "Other active silos that do not see this silo's checkpoint directory (a pack moving between them trains again from epoch 0)");
        Meter.CreateObservableGauge(MetricNames.GpuSlotsUsed,
            () => SlotUse.Values.SelectMany(s => s.Devices.Select(d => new Measurement<int>(d.Used, SlotTags(s.Silo, d.Device)))),
            unit: "{slot}", description: "Training slots in use per device");
        Meter.CreateObservableGauge(MetricNames.GpuSlotsFree,
            () => SlotUse.Values.SelectMany(s => s.Devices.Select(d => new Measurement<int>(d.Free, SlotTags(s.Silo, d.Device)))),
            unit: "{slot}", description: "Free training slots per device");
        // Read when scraped: packs take and give back memory between scrapes without a call here.
        Meter.CreateObservableGauge(MetricNames.CpuMemoryHeld,
            () => CpuMemory.Values.Select(m => new Measurement<long>(m.Held(), new KeyValuePair<string, object?>("silo", m.Silo))),
            unit: "By", description: "What the packs training on the silo hold at least of its memory (a CPU pack its weights, gradient and optimizer state; a GPU pack its rollback copy), as the silo admits them");
        Meter.CreateObservableGauge(MetricNames.CpuMemoryLimit,
            () => CpuMemory.Values.Select(m => new Measurement<long>(m.Limit, new KeyValuePair<string, object?>("silo", m.Silo))),
            unit: "By", description: "The silo's memory for packs: a pack starts only while the packs' holds, its own included, stay within it");
        Meter.CreateObservableGauge(MetricNames.MachineMemoryFree,
            () => CpuMemory.Values.Select(m => (m.Silo, Free: m.MachineFree())).Where(m => m.Free is not null)
                .Select(m => new Measurement<long>(m.Free!.Value, new KeyValuePair<string, object?>("silo", m.Silo))),
            unit: "By", description: "Memory free on the silo's machine (or container) for everyone: a pack starts only if its hold fits in it too");
    }

    /// <summary>How many other silos do not see <paramref name="silo"/>'s checkpoint directory (CheckpointVolumeCheck).</summary>
    public static void SetCheckpointDirUnshared(string silo, int silos) => UnsharedCheckpoints[silo] = silos;

    /// <summary>Records one finished epoch of one cell (its pack's epoch time goes to <see cref="PackEpochTimed"/>).</summary>
    public static void EpochCompleted(CellLabels cell, double seconds, long samples, double trainLoss,
        double? trainAccuracy, double? testAccuracy, double? cosineSimilarity, double? stepCosine = null)
    {
        var tags = cell.ToGroupTags();
        EpochsCompletedCounter.Add(1, tags);
        SamplesCounter.Add(samples, tags);
        double? rate = seconds > 0 ? samples / seconds : null;
        double? loss = double.IsFinite(trainLoss) ? trainLoss : null;
        Cells.AddOrUpdate(cell,
            _ => CellSnapshot.Empty.With(rate, loss, trainAccuracy, testAccuracy, cosineSimilarity, stepCosine),
            // A lingering cell (its pack ended) that trains again is a new run of those labels, a sweep deleted and
            // submitted again: none of the old run's values are this one's. (A stopped pack's cells were forgotten.)
            (_, old) => (old.RetireAt is null ? old : CellSnapshot.Empty).With(rate, loss, trainAccuracy, testAccuracy, cosineSimilarity, stepCosine));
    }

    /// <summary>Records one epoch's training pass of a pack, once however many cells it trains: the cells of a pack
    /// share sweep, method and optimizer (they differ in LR only), so one of them labels it, and a sample per cell would
    /// count the same wall time several times over.</summary>
    public static void PackEpochTimed(CellLabels anyCell, double seconds) =>
        EpochDurationHistogram.Record(seconds, anyCell.ToGroupTags());

    /// <summary>A cell's pack stopped training here (finished, failed or stopped): it keeps its last accuracies for
    /// <see cref="MetricNames.EndedCellLinger"/>, but a throughput it no longer has would inflate every sum of samples
    /// per second, so that goes now.</summary>
    public static void CellStopped(CellLabels cell, TimeSpan? linger = null)
    {
        var retireAt = DateTimeOffset.UtcNow + (linger ?? MetricNames.EndedCellLinger);
        if (!Cells.TryGetValue(cell, out var old) || !Cells.TryUpdate(cell, old with { SamplesPerSecond = null, RetireAt = retireAt }, old)) return;
        lock (Retiring)
        {
            Retiring.Enqueue(cell, retireAt);
            // A scrape drops retired cells too, but a silo nobody scrapes would hold every cell it ever trained.
            var now = DateTimeOffset.UtcNow;
            while (Retiring.TryPeek(out var due, out var at) && at <= now)
            {
                Retiring.Dequeue();
                if (Cells.TryGetValue(due, out var snapshot)) RemoveIfRetired(due, snapshot, now);
            }
        }
    }

    /// <summary>Whether this process reports <paramref name="cell"/>'s gauges (lingering included).</summary>
    internal static bool Tracks(CellLabels cell) => Cells.ContainsKey(cell);

    /// <summary>Stops reporting a cell's gauges from this silo at once (its pack goes on elsewhere, or it diverged).</summary>
    public static void ForgetCell(CellLabels cell) => Cells.TryRemove(cell, out _);

    /// <summary>Stops reporting a sweep's cell-state counts and time left from this silo (its coordinator deactivated
    /// here); the per-cell gauges belong to the training grains and stay.</summary>
    public static void ForgetCellStates(string sweep)
    {
        foreach (var key in CellCounts.Keys.Where(k => k.Sweep == sweep)) CellCounts.TryRemove(key, out _);
        TimeLeft.TryRemove(sweep, out _);
        SlotShares.TryRemove(sweep, out _);
        Problems.TryRemove(sweep, out _);
        NumericsResumes.TryRemove(sweep, out _);
    }

    /// <summary>Replaces the cell-state counts of one sweep (called by its coordinator after each change).</summary>
    public static void SetCellStates(string sweep, IReadOnlyDictionary<string, int> countsByState)
    {
        foreach (var (state, count) in countsByState) CellCounts[(sweep, state)] = count;
        foreach (var key in CellCounts.Keys.Where(k => k.Sweep == sweep && !countsByState.ContainsKey(k.State)))
            CellCounts[key] = 0;
    }

    /// <summary>Sets a sweep's time left (called by its coordinator); null: unknown (no pace yet, or not running).</summary>
    public static void SetTimeLeft(string sweep, double? seconds)
    {
        if (seconds is { } value) TimeLeft[sweep] = value;
        else TimeLeft.TryRemove(sweep, out _);
    }

    /// <summary>Sets a sweep's place in the fair share of slots (called by its coordinator with its gauges).</summary>
    public static void SetSlotShare(string sweep, SweepSlotShare share) => SlotShares[sweep] = share;

    /// <summary>The count of a sweep's packs' resumes under other numerics, from its ledger.</summary>
    public static void SetNumericsResumes(string sweep, int count) => NumericsResumes[sweep] = count;

    /// <summary>Sets the kind of a sweep's problem (called by its coordinator with its gauges); null: none.</summary>
    public static void SetProblem(string sweep, string? kind) => Problems[sweep] = kind ?? NoProblem;

    /// <summary>Replaces one silo's slot use (that silo reports its own devices, for as long as it runs).</summary>
    /// <param name="siloKey">Unique per silo (its address); <paramref name="siloName"/> is the label.</param>
    public static void SetSiloSlots(string siloKey, string siloName, IReadOnlyList<(int Device, int Used, int Free)> devices) =>
        SlotUse[siloKey] = new SiloSlotUse(siloName, devices);

    /// <summary>Stops exporting a silo's slots and memory (it is stopping).</summary>
    public static void ForgetSiloSlots(string siloKey)
    {
        SlotUse.TryRemove(siloKey, out _);
        CpuMemory.TryRemove(siloKey, out _);
    }

    /// <summary>Exports a silo's memory for CPU packs, <paramref name="held"/> read at each scrape, until
    /// <see cref="ForgetSiloSlots"/>.</summary>
    public static void SetSiloCpuMemory(string siloKey, string siloName, Func<long> held, long limit, Func<long?> machineFree) =>
        CpuMemory[siloKey] = new SiloCpuMemory(siloName, held, limit, machineFree);

    public static void CheckpointWritten(double seconds, string sweep, string method) =>
        CheckpointHistogram.Record(seconds, new KeyValuePair<string, object?>("sweep", sweep), new KeyValuePair<string, object?>("method", method));

    private static void CellGauge(string name, Func<CellSnapshot, double?> value, string? unit, string description) =>
        Meter.CreateObservableGauge(name,
            () => LiveCells().Select(kv => (kv.Key, Value: value(kv.Value)))
                .Where(p => p.Value.HasValue)
                .Select(p => new Measurement<double>(p.Value!.Value, p.Key.ToTags())),
            unit, description);

    /// <summary>The cells to report now; retired ones are dropped on the way.</summary>
    private static IEnumerable<KeyValuePair<CellLabels, CellSnapshot>> LiveCells()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var kv in Cells)
            if (!RemoveIfRetired(kv.Key, kv.Value, now)) yield return kv;
    }

    /// <summary>Whether this snapshot of the cell is retired by <paramref name="now"/>; if so it is removed, unless the
    /// cell has a newer snapshot meanwhile (it trains again), which stays.</summary>
    private static bool RemoveIfRetired(CellLabels cell, CellSnapshot snapshot, DateTimeOffset now)
    {
        if (snapshot.RetireAt is not { } at || at > now) return false;
        Cells.TryRemove(new KeyValuePair<CellLabels, CellSnapshot>(cell, snapshot));
        return true;
    }

    private static IEnumerable<Measurement<int>> ShareOf(Func<SweepSlotShare, int> value) =>
        SlotShares.Select(kv => new Measurement<int>(value(kv.Value), new KeyValuePair<string, object?>("sweep", kv.Key)));

    private static KeyValuePair<string, object?>[] SlotTags(string silo, int device) =>
        [new("silo", silo), new("device", device.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private sealed record SiloSlotUse(string Silo, IReadOnlyList<(int Device, int Used, int Free)> Devices);

    private sealed record SiloCpuMemory(string Silo, Func<long> Held, long Limit, Func<long?> MachineFree);
}
