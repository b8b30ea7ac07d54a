using System.CommandLine;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Client.Planning;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Reporting;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Silo.Hosting;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess local SPEC.yaml</c>: the whole sweep on an embedded single-silo cluster (SPEC §7). Run again
/// after an interruption, it resumes from the state directory.</summary>
internal sealed class LocalCommand : Command
{
    private readonly Argument<string> _spec = new("SPEC") { Description = "Sweep spec (YAML)" };
    private readonly Option<string> _stateDir = new Option<string>("--state-dir")
    {
        Description = "Directory for grain state, checkpoints and logs", DefaultValueFactory = _ => LocalHostOptions.DefaultStateDirectory,
    }.NotEmpty();
    private readonly Option<int> _metricsPort = new("--metrics-port")
    {
        Description = "Loopback port serving /metrics while the sweep runs (0 = off; a port in use is refused)", DefaultValueFactory = _ => LocalHostOptions.DefaultMetricsPort,
    };
    private readonly Option<int?> _cpuSlots = new("--cpu-slots")
    {
        Description = "Packs training at once on the CPU (default: one per core, cores / --threads; 1 beside GPUs; 0: GPUs only)",
    };
    private readonly Option<int?> _gpus = new("--gpus") { Description = "CUDA devices to train on (default: all that TorchSharp sees)" };
    private readonly Option<int> _slotsPerGpu = new("--slots-per-gpu")
    {
        Description = "Packs training at once on each GPU (one small pack leaves a GPU mostly idle)",
        DefaultValueFactory = _ => 1,
    };
    private readonly Option<int> _threads = new Option<int>("--threads") { Description = "Intra-op threads per pack (per training slot)", DefaultValueFactory = _ => 1 }.Threads();
    private readonly Option<bool> _extend = new("--extend") { Description = SubmitCommand.ExtendDescription };
    private readonly Option<bool> _fsync = new("--fsync")
    {
        Description = "fsync every state write: the sweep's state survives a power cut or a kernel crash, not only a killed process (a few ms a write)",
    };

    private readonly ReportOption _report = new();

    public LocalCommand() : base("local", "Run a sweep on an embedded single-silo cluster, with live progress and the results table")
    {
        Arguments.Add(_spec);
        foreach (var o in new Option[] { _stateDir, _metricsPort, _cpuSlots, _gpus, _slotsPerGpu, _threads, _extend, _fsync }) Options.Add(o);
        _report.AddTo(this);
        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (port, given, threads, gpus) = (parse.GetValue(_metricsPort), parse.GetValue(_cpuSlots), parse.GetValue(_threads), parse.GetValue(_gpus));
        if (port is < 0 or > 65535) throw new UsageException($"--metrics-port: {port} is not a port (0 = off)");
        if (given < 0) throw new UsageException($"--cpu-slots must be >= 0, got {given}");   // --threads: bounded while parsing
        if (gpus < 0) throw new UsageException($"--gpus must be >= 0, got {gpus}");
        if (given > SiloSlots.MaxSlots) throw new UsageException($"--cpu-slots must be at most {SiloSlots.MaxSlots}, got {given}");
        int slotsPerGpu = parse.GetValue(_slotsPerGpu);
        if (slotsPerGpu is < 1 or > SiloSlots.MaxSlots) throw new UsageException($"--slots-per-gpu must be 1 to {SiloSlots.MaxSlots}, got {slotsPerGpu}");
        if (gpus == 0 && parse.Gave(_slotsPerGpu)) throw new UsageException("--slots-per-gpu applies to GPUs, and --gpus 0 trains on none");
        CheckSlots(given ?? 1, gpus);
        var stateDir = Path.GetFullPath(parse.GetValue(_stateDir)!);
        // Where the report goes is checked before a cell trains: a directory that cannot take it should not cost the sweep.
        var report = _report.Target(parse, stateDir);

        // Everything about the spec is checked before the state directory is touched: a bad spec leaves no trace. The cap on
        // a pack's parameters too, for a new sweep; a stored one may have grown, packing its learning rates apart, and its
        // coordinator judges the packs it formed.
        var specPath = parse.GetValue(_spec)!;
        var spec = SweepSpecParser.ParseFile(specPath, new DataSetCheck(), earlierUnknown: true);
        int gpusInUse = gpus ?? TorchRuntime.CudaDeviceCount();   // after the spec's checks: this loads libtorch
        if (gpusInUse == 0 && parse.Gave(_slotsPerGpu))   // a script run on every kind of machine: said, not refused
            Output.Info($"warning: --slots-per-gpu {slotsPerGpu} has no effect: TorchSharp sees no GPU here");
        int slots = given ?? SiloSlots.DefaultCpuSlots(threads, gpusInUse);
        var options = new LocalHostOptions(stateDir, port == 0 ? null : port, slots, gpusInUse, threads) { SlotsPerGpu = slotsPerGpu, FlushToDisk = parse.GetValue(_fsync) };
        SweepPlan? planned = null;   // a new sweep's, made once, before the state directory is touched
        if (!LocalSweepFiles.AnyStored(options, spec.Name))
        {
            if (SweepSpecValidator.PackCap(spec) is { } cap) throw new SpecValidationException([cap], specPath);
            planned = SweepPlanner.Build(spec);
            LocalPreflight.RefuseANeverFittingPack(planned, spec, cpuOnly: gpusInUse == 0);
            // After the spec's own problems, which a sweep of that name would have as well.
            if (parse.GetValue(_extend)) throw SubmitCommand.NothingToExtend(spec.Name, $" in {stateDir}", "run");
        }
        await using var host = await LocalSweepHost.StartAsync(options, cancellationToken);
        await LocalPreflight.WarnAsync(host, spec, slots, slotsAtOnce: slots + gpusInUse * slotsPerGpu, planned);
        var exit = await LocalSweep.RunAsync(host, spec, parse.GetValue(_extend), cancellationToken);
        return await ReportOption.WriteAfterAsync(report, host.Grains, spec.Name, exit, stateDir, cancellationToken);
    }

    /// <summary>Slots that could never train would leave the sweep queued forever, and GPUs TorchSharp cannot see
    /// would fail every cell placed on them: both are refused up front.</summary>
    private static void CheckSlots(int cpuSlots, int? gpus)
    {
        if (CudaDeviceCheck.Problem(gpus) is { } problem) throw new UsageException($"--gpus {gpus}: {problem}");
        if (cpuSlots == 0 && (gpus ?? TorchRuntime.CudaDeviceCount()) == 0)
            throw new UsageException("--cpu-slots 0 with no GPU to train on: no cell could ever start (give --cpu-slots 1 or more)");
    }
}
