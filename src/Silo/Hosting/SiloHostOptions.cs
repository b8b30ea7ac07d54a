namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// The silo host's settings, bound from the configuration section <c>GradGuess</c> (appsettings.json, environment
/// variables such as <c>GradGuess__Clustering=redis</c>, command-line <c>--GradGuess:Clustering=redis</c>).
/// <see cref="SiloHostOptionsValidator"/> checks them before anything starts.
/// </summary>
public sealed class SiloHostOptions
{
    public const string SectionName = "GradGuess";

    public const string DEFAULT_CLUSTER_ID = "gradguess";
    public const int DEFAULT_SILO_PORT = 11111;
    public const int DEFAULT_GATEWAY_PORT = 30000;
    public const int DEFAULT_HTTP_PORT = 8080;

    /// <summary><c>localhost</c> (one machine, loopback only), <c>redis</c> or <c>postgres</c> (ADO.NET membership table).</summary>
    public string Clustering { get; set; } = ClusteringKinds.Localhost;

    /// <summary>Grain storage for sweep and cell state: <c>file</c> (under <see cref="StateDirectory"/>), <c>redis</c> or <c>postgres</c>.</summary>
    public string Storage { get; set; } = StorageKinds.File;

    /// <summary>StackExchange.Redis configuration string (e.g. <c>redis:6379</c>), for Redis clustering or storage.</summary>
    public string? Redis { get; set; }

    /// <summary>Npgsql connection string, for PostgreSQL clustering or storage (schema: src/Silo/Sql).</summary>
    public string? Postgres { get; set; }

    /// <summary>Silos with the same cluster id form one cluster; clients must use the same one.</summary>
    public string ClusterId { get; set; } = DEFAULT_CLUSTER_ID;

    /// <summary>Stable across deployments: part of every stored state's key.</summary>
    public string ServiceId { get; set; } = DEFAULT_CLUSTER_ID;

    /// <summary>Silo name in logs and metrics; default: host name and silo port.</summary>
    public string? SiloName { get; set; }

    public int SiloPort { get; set; } = DEFAULT_SILO_PORT;

    public int GatewayPort { get; set; } = DEFAULT_GATEWAY_PORT;

    /// <summary>IP address or host name other silos and clients reach this silo at; default: Orleans picks a local address
    /// (loopback with <c>localhost</c> clustering, the pod IP with <see cref="Kubernetes"/>).</summary>
    public string? AdvertisedIp { get; set; }

    /// <summary>Listen for silo and gateway traffic on every interface rather than only the advertised address (containers).</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>Address of the HTTP endpoints (/metrics, /healthz). Loopback unless configured otherwise.</summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    public int HttpPort { get; set; } = DEFAULT_HTTP_PORT;

    /// <summary>Root of the file grain storage (<c>file</c> storage).</summary>
    public string StateDirectory { get; set; } = ".gradguess";

    /// <summary><c>file</c> storage: fsync every state write (and its directory), so sweeps survive a power cut or a kernel
    /// crash, not only a killed process, at a few milliseconds a write.</summary>
    public bool FlushToDisk { get; set; }

    /// <summary>Checkpoint directory (a shared volume in a cluster); default: <c>{StateDirectory}/checkpoints</c>.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>CUDA devices offered; null = detect through TorchSharp. Set it to simulate GPU silos in tests.</summary>
    public int? GpuCount { get; set; }

    public int SlotsPerGpu { get; set; } = 1;

    /// <summary>Advertise <see cref="GpuCount"/> GPUs but train their cells on the CPU (tests and demos on GPU-less machines).</summary>
    public bool SimulateGpus { get; set; }

    /// <summary>Also train on the CPU: CPU slots beside any GPUs (a pack takes a CPU slot only when no GPU slot is free).</summary>
    public bool AllowCpuTraining { get; set; }

    /// <summary>CPU training slots with <see cref="AllowCpuTraining"/>; null: <see cref="Grains.Placement.SiloSlots.DefaultCpuSlots"/> (a pack
    /// per core on a silo without GPUs, one beside GPUs).</summary>
    public int? CpuSlots { get; set; }

    /// <summary>The memory the packs on the CPU slots may hold between them; null: what .NET reports (physical memory; in a
    /// container 75 % of its limit by default).</summary>
    public long? CpuTrainingMemoryBytes { get; set; }

    /// <summary>Whether a CPU pack must also fit the memory the machine (or its container) has free at its start.</summary>
    public bool MachineMemoryCheck { get; set; } = true;

    /// <summary>libtorch intra-op threads per training cell.</summary>
    public int ThreadsPerCell { get; set; } = 1;

    /// <summary>Use Orleans' Kubernetes hosting (reads POD_NAME, POD_NAMESPACE, POD_IP; needs the RBAC in deploy/k8s).</summary>
    public bool Kubernetes { get; set; }

    /// <summary>Attempts to reach Redis or PostgreSQL at start before giving up.</summary>
    public int StartupAttempts { get; set; } = 8;

    /// <summary>Time the host allows for a graceful stop (running cells checkpoint and leave).</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 120;

    /// <summary>How often the silo checks that every other silo sees its checkpoint directory; 0 turns it off.</summary>
    public double CheckpointShareCheckSeconds { get; set; } = 30;

    /// <summary>How long a sweep waits for a slot, while another holds at least two more (at equal priorities), before a
    /// pack of the other gives its slot up, checkpointing where it stops; 0 turns preemption off. Set it alike on every
    /// silo.</summary>
    public double PreemptAfterSeconds { get; set; } = 60;

    /// <summary>Where <c>file</c> storage keeps grain state: <c>{StateDirectory}/state</c>.</summary>
    public string ResolvedStorageDirectory => Path.Combine(StateDirectory, "state");

    public string ResolvedCheckpointDirectory => CheckpointDirectory ?? Path.Combine(StateDirectory, "checkpoints");

    /// <summary>The silo's name: under Kubernetes the pod's (Orleans' hosting names the silo so), else machine and port.</summary>
    public string ResolvedSiloName => SiloName ?? (Kubernetes ? NonEmpty(Environment.GetEnvironmentVariable("POD_NAME")) : null)
        ?? $"{Environment.MachineName}-{SiloPort}";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
