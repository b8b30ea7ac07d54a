namespace GradGuessCluster.Grains.Hosting;

/// <summary>What a silo contributes to sweeps: where state and checkpoints live, and its training slots.</summary>
public sealed class GradGuessSiloOptions
{
    /// <summary>Name of the grain storage provider used for sweep and cell state.</summary>
    public const string StorageName = "gradguess";

    /// <summary>Directory for checkpoints (a shared volume in a cluster).</summary>
    public string CheckpointDirectory { get; set; } = Path.Combine(".gradguess", "checkpoints");

    /// <summary>CUDA devices this silo offers; null = detect through TorchSharp. Tests set it to simulate GPU silos.</summary>
    public int? GpuCount { get; set; }

    /// <summary>Training slots per GPU (cells that may share one device).</summary>
    public int SlotsPerGpu { get; set; } = 1;

    /// <summary>Whether this silo also trains on the CPU, in slots beside any GPUs (the local default); placement takes a
    /// free GPU slot first.</summary>
    public bool AllowCpuTraining { get; set; }

    /// <summary>CPU training slots when <see cref="AllowCpuTraining"/> is on.</summary>
    public int CpuSlots { get; set; } = 1;

    /// <summary>The host memory the packs on this silo may hold between them (<see cref="Placement.CpuPackMemory"/>): CPU
    /// packs' state, and GPU packs' rollback copies (with <c>checkpointEvery</c> above 1); null: what .NET reports
    /// (physical memory; in a container 75 % of its limit by default).</summary>
    public long? CpuTrainingMemoryBytes { get; set; }

    /// <summary>Whether what a pack holds in host memory must also fit the memory the machine has free at its start
    /// (<see cref="Placement.MachineMemory"/>); off: <see cref="CpuTrainingMemoryBytes"/> alone decides (swap the packs
    /// may use, or packs that allocate nothing, as tests' no-op trainers).</summary>
    public bool MachineMemoryCheck { get; set; } = true;

    /// <summary>Intra-op threads per training cell.</summary>
    public int ThreadsPerCell { get; set; } = 1;

    /// <summary>How often a coordinator re-pokes packs it has not heard from (their silo may have died) and retries
    /// admission. Cells of a dead silo resume within about this long after the cluster declares the silo dead.</summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a pack at a checkpoint keeps retrying to get its epochs stored by its coordinator before it
    /// checkpoints with them saved beside the checkpoint and trains on (they are reported again with later epochs).
    /// Bounded so that a coordinator that keeps failing does not hold the pack and its slot forever.</summary>
    public TimeSpan ReportFlushTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a slot reserved by placement stays held without its activation claiming it.</summary>
    public TimeSpan UnclaimedReservationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a training grain renews the lease on its slot while it trains.</summary>
    public TimeSpan SlotLeaseRenewal { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A claimed slot whose lease was not renewed for this long is freed (its activation is gone without having
    /// released it: a release lost with a moved ledger).</summary>
    public TimeSpan SlotLeaseTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the silo checks that the other silos see its checkpoint directory (<see cref="CheckpointVolumeCheck"/>);
    /// zero turns the check off (a single silo, as in <c>local</c>): then the silo writes no marker either, so turn it off
    /// on every silo of a cluster or on none.</summary>
    public TimeSpan CheckpointShareCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a sweep waits for a slot, while another sweep holds at least two more (at equal priorities), before
    /// a pack of the other gives its slot up: at its next checkpoint or, between checkpoints, within a watchdog interval,
    /// writing a checkpoint where it stops (it goes back to its sweep's queue and resumes from that checkpoint). A pack that
    /// would end within this long anyway keeps its slot. Zero turns this off: then a waiting sweep gets slots only as packs
    /// end. Read by the silo hosting the slot ledger and by every training silo, so set it alike on all.</summary>
    public TimeSpan PreemptAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Read-only silo for reading a state directory offline: coordinators answer queries but admit, poke and
    /// write nothing, and unfinished sweeps are not resumed.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Whether the silo wakes, as it starts (and as silos die), the sweeps the registry lists as running, so a
    /// cluster that restarts goes on by itself. Off for <c>gradguess local</c>: it runs the sweep it is given, and the
    /// other sweeps its state directory holds wait for their own <c>local</c> rather than take its slots.</summary>
    public bool ResumeSweeps { get; set; } = true;

    /// <summary>With <see cref="ReadOnly"/>: the host of <c>gradguess delete --state-dir</c>, which holds the directory's
    /// lock, so nothing trains there; coordinators may delete their sweep, and change nothing else.</summary>
    public bool AllowDelete { get; set; }

    /// <summary>More silo metadata to advertise next to the training slots (e.g. a zone).</summary>
    public Dictionary<string, string> ExtraMetadata { get; } = new();
}
