namespace GradGuessCluster.Grains.Diagnostics;

/// <summary>Every instrument name of the product's meter, in one place (Prometheus turns dots into underscores
/// and adds unit and <c>_total</c> suffixes: <c>gradguess.epochs.completed</c> → <c>gradguess_epochs_completed_total</c>).</summary>
public static class MetricNames
{
    public const string Meter = "GradGuessCluster";

    public const string Cells = "gradguess.cells";
    public const string EpochsCompleted = "gradguess.epochs.completed";
    public const string EpochDuration = "gradguess.epoch.duration";
    public const string SamplesPerSecond = "gradguess.samples.rate";
    public const string Samples = "gradguess.samples";
    public const string TrainAccuracy = "gradguess.cell.train_accuracy";
    public const string TestAccuracy = "gradguess.cell.test_accuracy";
    public const string TrainLoss = "gradguess.cell.train_loss";
    public const string CosineSimilarity = "gradguess.cell.cosine_similarity";
    public const string StepCosine = "gradguess.cell.step_cosine";
    public const string GpuSlotsUsed = "gradguess.gpu.slots.used";
    public const string GpuSlotsFree = "gradguess.gpu.slots.free";
    public const string CpuMemoryHeld = "gradguess.cpu.memory.held";
    public const string CpuMemoryLimit = "gradguess.cpu.memory.limit";
    public const string MachineMemoryFree = "gradguess.machine.memory.free";
    public const string CheckpointDuration = "gradguess.checkpoint.duration";
    public const string SweepTimeLeft = "gradguess.sweep.time_left";
    public const string SweepProblem = "gradguess.sweep.problem";
    public const string CheckpointDirUnshared = "gradguess.checkpoint_dir.unshared";
    public const string PacksPreempted = "gradguess.packs.preempted";
    public const string PacksResumedOtherNumerics = "gradguess.packs.resumed_other_numerics";
    public const string SweepPacksWaiting = "gradguess.sweep.packs_waiting";
    public const string SweepSlotsHeld = "gradguess.sweep.slots_held";
    public const string SweepPriority = "gradguess.sweep.priority";

    /// <summary>The per-sweep instruments (by sweep, and state or kind), held to <see cref="SweepGroupSeriesLimit"/> like
    /// the counters: with the SDK's default of 2000, cell states (six per sweep) overflowed after about 333 sweeps.</summary>
    public static readonly string[] PerSweepInstruments = [Cells, SweepTimeLeft, SweepProblem, SweepPacksWaiting, SweepSlotsHeld, SweepPriority, PacksPreempted,
        PacksResumedOtherNumerics];

    /// <summary>The per-cell gauges, each one series per cell (sweep, method, optimizer, lr, seed).</summary>
    public static readonly string[] CellGauges = [SamplesPerSecond, TrainAccuracy, TestAccuracy, TrainLoss, CosineSimilarity, StepCosine];

    /// <summary>How long an ended cell's gauges stay after its pack ends: several scrapes at any usual interval.</summary>
    public static readonly TimeSpan EndedCellLinger = TimeSpan.FromMinutes(5);

    /// <summary>Distinct cells each per-cell gauge can carry over a silo process's life. The SDK never reclaims a
    /// cumulative series, even one no longer reported, and sends every cell past its limit (2000 by default) to one
    /// unlabelled overflow series; 20,000 is a few study grids with seeds, at about 100 bytes per series reserved.</summary>
    public const int CellSeriesLimit = 20_000;

    /// <summary>Distinct sweep × method × optimizer series each counter and histogram can carry over a silo process's
    /// life (the SDK's default of 2000 is about 110 study grids' worth, after which new sweeps fall into the unlabelled
    /// overflow series). Like the cells', a deleted sweep's series stay until the silo restarts.</summary>
    public const int SweepGroupSeriesLimit = 20_000;

    /// <summary>Bucket bounds (seconds) for epoch durations: tens of milliseconds (synthetic) to tens of minutes (CIFAR on CPU).</summary>
    public static readonly double[] EpochDurationBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];

    /// <summary>Bucket bounds (seconds) for checkpoint writes: a 128-wide MLP pack writes in milliseconds.</summary>
    public static readonly double[] CheckpointDurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
}
