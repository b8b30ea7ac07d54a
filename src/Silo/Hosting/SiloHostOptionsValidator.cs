using GradGuessCluster.Grains.Interfaces.Validation;
using System.Net;
using System.Net.Sockets;
using GradGuessCluster.Grains.Placement;
using Npgsql;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>Checks <see cref="SiloHostOptions"/> before the host starts; every problem names its configuration key.</summary>
public static class SiloHostOptionsValidator
{
    private const double MaxSeconds = 86_400;

    /// <summary>Throws <see cref="SiloConfigurationException"/> listing every problem, or returns when the options are usable.</summary>
    public static void ThrowIfInvalid(SiloHostOptions o)
    {
        var errors = Validate(o);
        if (errors.Count > 0) throw new SiloConfigurationException(errors);
    }

    /// <param name="environment">Reads an environment variable (the process's by default; tests give their own).</param>
    public static IReadOnlyList<string> Validate(SiloHostOptions o, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var errors = new List<string>();
        void Error(string key, string message) => errors.Add($"{SiloHostOptions.SectionName}:{key}: {message}");

        if (!ClusteringKinds.All.Contains(o.Clustering))
            Error(nameof(o.Clustering), $"unknown '{o.Clustering}' {NearestName.KnownList(o.Clustering, ClusteringKinds.All)}");
        if (!StorageKinds.All.Contains(o.Storage))
            Error(nameof(o.Storage), $"unknown '{o.Storage}' {NearestName.KnownList(o.Storage, StorageKinds.All)}");
        bool needsRedis = o.Clustering == ClusteringKinds.Redis || o.Storage == StorageKinds.Redis;
        bool needsPostgres = o.Clustering == ClusteringKinds.Postgres || o.Storage == StorageKinds.Postgres;
        if (needsRedis && string.IsNullOrWhiteSpace(o.Redis))
            Error(nameof(o.Redis), "a connection string is required for redis clustering or storage (e.g. 127.0.0.1:6379)");
        else if (needsRedis && RedisConnectionString.Check(o.Redis!).Problem is { } redisProblem)
            Error(nameof(o.Redis), redisProblem);
        if (needsPostgres && string.IsNullOrWhiteSpace(o.Postgres))
            Error(nameof(o.Postgres), "a connection string is required for postgres clustering or storage");
        else if (needsPostgres && PostgresProblem(o.Postgres!) is { } postgresProblem)
            Error(nameof(o.Postgres), postgresProblem);
        // File storage is this machine's (its directory lock refuses a second silo): in a cluster of several silos a sweep
        // whose coordinator moves would find another silo's store, without its ledger or with an old one.
        if (o.Storage == StorageKinds.File && o.Clustering != ClusteringKinds.Localhost && ClusteringKinds.All.Contains(o.Clustering))
            Error(nameof(o.Storage), $"file storage is local to one silo; with {o.Clustering} clustering every silo needs the shared store " +
                                     $"(Storage {o.Clustering})");
        // Redis and PostgreSQL keep their writes as their servers are set to (appendfsync, fsync): the setting would do nothing.
        if (o.FlushToDisk && o.Storage != StorageKinds.File && StorageKinds.All.Contains(o.Storage))
            Error(nameof(o.FlushToDisk), $"applies to file storage only; {o.Storage} storage is as durable as its server is set to be");
        if (o.Kubernetes && o.Clustering == ClusteringKinds.Localhost)
            Error(nameof(o.Kubernetes), "Kubernetes hosting needs a shared membership table (Clustering redis or postgres)");
        // Orleans' Kubernetes hosting takes these ids from the pod's variables over ours, silently; this host keys its
        // checkpoint directory's owner by ours, and clients connect with theirs: they must agree.
        if (o.Kubernetes)
            foreach (var (key, value, variable) in new[] { (nameof(o.ServiceId), o.ServiceId, "ORLEANS_SERVICE_ID"), (nameof(o.ClusterId), o.ClusterId, "ORLEANS_CLUSTER_ID"),
                         (nameof(o.SiloName), o.SiloName, "POD_NAME") })   // the name: logs, /healthz and the gauges' silo label
                if (value is not null && environment(variable) is { } pod && !string.IsNullOrWhiteSpace(pod) && pod != value)
                    Error(key, $"'{value}' differs from {variable} '{pod}', which Orleans' Kubernetes hosting uses instead; set them alike");

        if (string.IsNullOrWhiteSpace(o.ClusterId)) Error(nameof(o.ClusterId), "must not be empty");
        if (string.IsNullOrWhiteSpace(o.ServiceId)) Error(nameof(o.ServiceId), "must not be empty");
        // It names the directory of the silos' markers on the checkpoint volume (CheckpointVolumeCheck), whose clean-up
        // deletes old files there: ".." would put that clean-up in the checkpoint root, a '/' elsewhere.
        else if (o.ServiceId is "." or ".." || o.ServiceId.IndexOfAny(['/', '\0']) >= 0)
            Error(nameof(o.ServiceId), $"'{o.ServiceId.Replace("\0", "\\0", StringComparison.Ordinal)}' must be usable as a directory name (no '/', not '.' or '..')");
        CheckPort(nameof(o.SiloPort), o.SiloPort, allowZero: false);
        CheckPort(nameof(o.GatewayPort), o.GatewayPort, allowZero: false);
        CheckPort(nameof(o.HttpPort), o.HttpPort, allowZero: true);
        if (o.SiloPort == o.GatewayPort) Error(nameof(o.GatewayPort), $"must differ from SiloPort ({o.SiloPort})");
        if (o.HttpPort == o.SiloPort || o.HttpPort == o.GatewayPort)
            Error(nameof(o.HttpPort), $"must differ from SiloPort and GatewayPort ({o.HttpPort})");
        if (!IPAddress.TryParse(o.HttpAddress, out _) && o.HttpAddress != "*")
            Error(nameof(o.HttpAddress), $"'{o.HttpAddress}' is not an IP address (use 0.0.0.0 or * for every interface)");
        if (o.AdvertisedIp is { Length: 0 }) Error(nameof(o.AdvertisedIp), "must not be empty when set");
        if (o.AdvertisedIp is { Length: > 0 } && o.Clustering == ClusteringKinds.Localhost)
            Error(nameof(o.AdvertisedIp), "localhost clustering always advertises 127.0.0.1 (use Clustering redis or postgres for other machines)");
        else if (o.AdvertisedIp is { Length: > 0 } && o.Kubernetes)
            Error(nameof(o.AdvertisedIp), "Kubernetes hosting advertises the pod's IP (POD_IP); leave AdvertisedIp out");
        else if (o.AdvertisedIp is { Length: > 0 } advertised && !IPAddress.TryParse(advertised, out _) && Unresolvable(advertised) is { } dns)
            Error(nameof(o.AdvertisedIp), $"'{advertised}' is neither an IP address nor a host name this machine resolves ({dns})");
        else if (o.AdvertisedIp is { Length: > 0 } literal && IPAddress.TryParse(literal, out var ip) && AdvertisedIpProblem(ip, o.ListenOnAnyAddress) is { } problem)
            Error(nameof(o.AdvertisedIp), $"'{literal}' {problem}");

        if (string.IsNullOrWhiteSpace(o.StateDirectory)) Error(nameof(o.StateDirectory), "must not be empty");
        if (o.CheckpointDirectory is { } cd && string.IsNullOrWhiteSpace(cd)) Error(nameof(o.CheckpointDirectory), "must not be empty when set");
        if (o.GpuCount is < 0 or > SiloSlots.MaxGpus) Error(nameof(o.GpuCount), $"must be 0 to {SiloSlots.MaxGpus}, got {o.GpuCount}");
        // Simulated GPUs train on the CPU; real ones must exist. No GPU and no CPU training is allowed: a gateway silo.
        if (!o.SimulateGpus && CudaDeviceCheck.Problem(o.GpuCount) is { } gpus) Error(nameof(o.GpuCount), $"{o.GpuCount}, but {gpus}");
        if (o.SimulateGpus && o.GpuCount is null or 0) Error(nameof(o.SimulateGpus), "needs GpuCount >= 1 (the GPUs to simulate)");
        if (o.SlotsPerGpu is < 1 or > SiloSlots.MaxSlots) Error(nameof(o.SlotsPerGpu), $"must be 1 to {SiloSlots.MaxSlots}, got {o.SlotsPerGpu}");
        if (o.CpuTrainingMemoryBytes is < 1) Error(nameof(o.CpuTrainingMemoryBytes), $"must be > 0 when set, got {o.CpuTrainingMemoryBytes}");
        if (o.CpuSlots is < 1 or > SiloSlots.MaxSlots) Error(nameof(o.CpuSlots), $"must be 1 to {SiloSlots.MaxSlots}, got {o.CpuSlots}");
        // Slots a silo would not offer: it starts as a silo that trains nothing, and sweeps wait for a slot.
        else if (o.CpuSlots is not null && !o.AllowCpuTraining)
            Error(nameof(o.CpuSlots), $"{o.CpuSlots} CPU slots, but CPU training is off: turn it on with AllowCpuTraining (--cpu-training), or leave CpuSlots out");
        if (o.ThreadsPerCell is < 1 or > TorchRuntime.MaxThreads)
            Error(nameof(o.ThreadsPerCell), $"must be 1 to {TorchRuntime.MaxThreads}, got {o.ThreadsPerCell}");
        if (o.StartupAttempts is < 1 or > 100) Error(nameof(o.StartupAttempts), $"must be between 1 and 100, got {o.StartupAttempts}");
        // At most a day: timers and cancellation deadlines take at most about 24 days, and more is surely a mistake.
        if (!(o.ShutdownTimeoutSeconds > 0 && o.ShutdownTimeoutSeconds <= MaxSeconds))
            Error(nameof(o.ShutdownTimeoutSeconds), $"must be > 0 and at most {MaxSeconds} (a day), got {o.ShutdownTimeoutSeconds}");
        if (!(o.CheckpointShareCheckSeconds >= 0 && o.CheckpointShareCheckSeconds <= MaxSeconds))
            Error(nameof(o.CheckpointShareCheckSeconds), $"must be >= 0 (0: off) and at most {MaxSeconds} (a day), got {o.CheckpointShareCheckSeconds}");
        // A day too: the slot ledger subtracts it from the time now, which a span of thousands of years takes below zero.
        if (!(o.PreemptAfterSeconds >= 0 && o.PreemptAfterSeconds <= MaxSeconds))
            Error(nameof(o.PreemptAfterSeconds), $"must be >= 0 (0: off) and at most {MaxSeconds} (a day), got {o.PreemptAfterSeconds}");
        return errors;

        void CheckPort(string key, int port, bool allowZero)
        {
            if (port < (allowZero ? 0 : 1) || port > 65535) Error(key, $"{port} is not a valid port");
        }
    }

    /// <summary>Why <paramref name="connectionString"/> is no usable PostgreSQL connection string (a misspelt key, no
    /// Host), or null. The message names the key, never a value: the string may hold a password.</summary>
    private static string? PostgresProblem(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "names no Host (e.g. Host=db;Username=gradguess;Password=...;Database=gradguess)" : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            // Npgsql says "Couldn't set KEY" and puts why ("Keyword not supported") in the inner exception.
            static string Plain(Exception x) => x is ArgumentException { ParamName: { } name } a ? a.Message.Replace($" (Parameter '{name}')", "") : x.Message;
            var why = e.InnerException switch { KeyNotFoundException => " (no such key)", { } inner => $" ({Plain(inner)})", null => "" };
            return $"not a PostgreSQL connection string: {Plain(e)}{why}";
        }
    }

    /// <summary>Why an advertised address cannot be what other silos and clients connect to, or null. Orleans refuses the
    /// unspecified ones only once the host starts (exit 1, in its words); an IPv6 one with ListenOnAnyAddress it takes,
    /// and listens on every IPv4 interface only, so that nothing reaches the address it advertises.</summary>
    internal static string? AdvertisedIpProblem(IPAddress ip, bool listenOnAny) =>
        ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast) || ip.Equals(IPAddress.IPv6None)
            ? "is not an address other silos can reach (advertise this machine's own address; ListenOnAnyAddress listens on every interface)"
        : listenOnAny && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? "is an IPv6 address, and with ListenOnAnyAddress the silo listens on every IPv4 interface only: leave ListenOnAnyAddress off to listen on this address"
        : null;

    /// <summary>Why <paramref name="host"/> does not resolve here, or null: Orleans resolves it while the silo is built, and
    /// its SocketException named no setting.</summary>
    private static string? Unresolvable(string host)
    {
        try { return Dns.GetHostAddresses(host).Length > 0 ? null : "it has no address"; }
        catch (Exception e) when (e is SocketException or ArgumentException) { return e.Message; }
    }
}
