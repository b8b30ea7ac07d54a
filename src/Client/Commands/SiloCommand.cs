using System.CommandLine;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Silo.Hosting;

namespace GradGuessCluster.Client.Commands;

/// <summary>
/// <c>gradguess silo</c>: runs the silo host of src/Silo in the foreground (SPEC §7). Options override appsettings.json
/// and <c>GradGuess__*</c> environment variables; any other <c>--GradGuess:Key=value</c> token is passed through as
/// configuration (e.g. <c>--GradGuess:Membership:ProbeTimeout=00:00:02</c>).
/// </summary>
internal sealed class SiloCommand : Command
{
    private readonly Option<string?> _clustering = new("--clustering") { Description = "localhost | redis | postgres" };
    private readonly Option<string?> _storage = new("--storage") { Description = "file | redis | postgres" };
    private readonly Option<string?> _redis = new("--redis") { Description = "Redis connection string (host:port)" };
    private readonly Option<string?> _postgres = new("--postgres") { Description = "PostgreSQL (Npgsql) connection string" };
    private readonly Option<string?> _clusterId = new("--cluster-id") { Description = "Orleans cluster id, which clients must use too (default gradguess)" };
    private readonly Option<string?> _serviceId = new("--service-id") { Description = "Orleans service id (default gradguess)" };
    private readonly Option<string?> _name = new("--silo-name") { Description = "Silo name in logs and metrics" };
    private readonly Option<int?> _siloPort = new("--silo-port") { Description = "Silo-to-silo port (default 11111)" };
    private readonly Option<int?> _gatewayPort = new("--gateway-port") { Description = "Client gateway port (default 30000)" };
    private readonly Option<string?> _advertisedIp = new("--advertised-ip") { Description = "Address other silos and clients reach this silo at" };
    private readonly Option<bool?> _listenAny = new("--listen-any") { Description = "Listen for silo and gateway traffic on every interface" };
    private readonly Option<string?> _httpAddress = new("--http-address") { Description = "Address of /metrics and /healthz (default 127.0.0.1)" };
    private readonly Option<int?> _httpPort = new("--http-port") { Description = "Port of /metrics and /healthz (default 8080)" };
    private readonly Option<string?> _stateDir = new("--state-dir") { Description = "Root of file storage (default ./.gradguess)" };
    private readonly Option<string?> _checkpointDir = new("--checkpoint-dir") { Description = "Checkpoint directory (shared volume in a cluster)" };
    private readonly Option<int?> _gpus = new("--gpus") { Description = "CUDA devices offered (default: detected)" };
    private readonly Option<int?> _slotsPerGpu = new("--slots-per-gpu") { Description = "Packs training at once on each GPU (default 1)" };
    private readonly Option<bool?> _cpuTraining = new("--cpu-training") { Description = "Also train on the CPU: --cpu-slots slots beside any GPUs" };
    private readonly Option<int?> _cpuSlots = new("--cpu-slots") { Description = "Packs training at once on the CPU, with --cpu-training (default: one per core at --threads threads each; 1 beside GPUs)" };
    private readonly Option<int?> _threads = new("--threads") { Description = "libtorch threads per pack (per training slot; default 1)" };
    private readonly Option<bool?> _kubernetes = new("--kubernetes") { Description = "Use Orleans' Kubernetes hosting" };

    // Tokens no option claims: System.CommandLine hands an unknown "--X" to an argument that takes it, so the
    // pass-through settings are an argument (its help line says what they are) rather than unmatched tokens.
    private readonly Argument<string[]> _settings = new("--GradGuess:Key=value")
    {
        Arity = ArgumentArity.ZeroOrMore,
        Description = "Any other setting of appsettings.json's GradGuess section, e.g. --GradGuess:Membership:ProbeTimeout=00:00:02",
    };

    public SiloCommand() : base("silo", "Run a silo host in the foreground (clustering, storage, GPUs from options, environment and appsettings.json); any other setting goes as --GradGuess:Key=value")
    {
        foreach (var o in new Option[] { _clustering, _storage, _redis, _postgres, _clusterId, _serviceId, _name, _siloPort, _gatewayPort,
                     _advertisedIp, _listenAny, _httpAddress, _httpPort, _stateDir, _checkpointDir, _gpus, _slotsPerGpu, _cpuTraining,
                     _cpuSlots, _threads, _kubernetes })
            Options.Add(o);
        Arguments.Add(_settings);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var passThrough = parse.GetValue(_settings) ?? [];
        var unknown = passThrough.FirstOrDefault(t => !t.StartsWith("--" + SiloHostOptions.SectionName + ":", StringComparison.OrdinalIgnoreCase));
        if (unknown is not null)
        {
            var option = unknown.StartsWith('-');
            var near = option ? NearestName.FindOption(unknown.Split('=')[0], Options.Select(o => o.Name)) : null;
            throw new UsageException($"silo: {(option ? "unknown option" : "unexpected argument")} '{unknown}' (" +
                                     (near is null ? "" : $"did you mean '{near}'? ") + $"other settings go as --{SiloHostOptions.SectionName}:Key=value)");
        }
        try
        {
            await GradGuessHost.RunAsync(passThrough, o => Apply(parse, o), ct);
        }
        catch (SiloConfigurationException e)
        {
            throw new UsageException(e.Message);
        }
        catch (PortInUseException e)
        {
            // Named by the option that changes the port, wherever the port came from (options override configuration).
            throw new UsageException(string.Join("; ", e.Taken.Select(t =>
                $"{PortOption(t.Key)} {t.Endpoint.Port}: {t.Why("gradguess silo")}; choose another with {PortOption(t.FixKey)}")));
        }
        return ExitCodes.Success;
    }

    private string PortOption(string key) => key switch
    {
        nameof(SiloHostOptions.SiloPort) => _siloPort.Name,
        nameof(SiloHostOptions.GatewayPort) => _gatewayPort.Name,
        nameof(SiloHostOptions.HttpPort) => _httpPort.Name,
        nameof(SiloHostOptions.HttpAddress) => _httpAddress.Name,
        nameof(SiloHostOptions.AdvertisedIp) => _advertisedIp.Name,
        _ => $"--{SiloHostOptions.SectionName}:{key}",
    };

    private void Apply(ParseResult p, SiloHostOptions o)
    {
        Set(p, _clustering, v => o.Clustering = v!);
        Set(p, _storage, v => o.Storage = v!);
        Set(p, _redis, v => o.Redis = v);
        Set(p, _postgres, v => o.Postgres = v);
        Set(p, _clusterId, v => o.ClusterId = v!);
        Set(p, _serviceId, v => o.ServiceId = v!);
        Set(p, _name, v => o.SiloName = v);
        Set(p, _siloPort, v => o.SiloPort = v!.Value);
        Set(p, _gatewayPort, v => o.GatewayPort = v!.Value);
        Set(p, _advertisedIp, v => o.AdvertisedIp = v);
        Set(p, _listenAny, v => o.ListenOnAnyAddress = v ?? true);
        Set(p, _httpAddress, v => o.HttpAddress = v!);
        Set(p, _httpPort, v => o.HttpPort = v!.Value);
        Set(p, _stateDir, v => o.StateDirectory = v!);
        Set(p, _checkpointDir, v => o.CheckpointDirectory = v);
        Set(p, _gpus, v => o.GpuCount = v);
        Set(p, _slotsPerGpu, v => o.SlotsPerGpu = v!.Value);
        Set(p, _cpuTraining, v => o.AllowCpuTraining = v ?? true);
        Set(p, _cpuSlots, v => o.CpuSlots = v!.Value);
        Set(p, _threads, v => o.ThreadsPerCell = v!.Value);
        Set(p, _kubernetes, v => o.Kubernetes = v ?? true);
    }

    /// <summary>Applies an option only when it was given, so configuration and environment stay in effect otherwise.</summary>
    private static void Set<T>(ParseResult parse, Option<T> option, Action<T?> apply)
    {
        if (parse.GetResult(option) is not null) apply(parse.GetValue(option));
    }
}
