using System.CommandLine;
using System.Globalization;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Planning;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess plan SPEC.yaml</c>: validates a spec and says what it would run (cells, packs, steps,
/// evaluations, checkpoints and their size, matmul work, optionally a time) without running or submitting anything.
/// Data that is missing here is a warning, not an error: the silos of a cluster may hold it. With <c>--extend</c> it
/// plans what the spec trains beside its stored sweep: the cells it adds and, where it raises epochs, the stored cells'
/// extra epochs.</summary>
internal sealed class PlanCommand : Command
{
    private readonly Argument<string> _spec = new("SPEC") { Description = "Sweep spec (YAML)" };
    private readonly Option<bool> _json = new("--json") { Description = "The plan as JSON on stdout" };
    private readonly Option<double?> _gflops = new("--gflops")
    {
        Description = "A slot's matmul rate in GFLOP/s (see `gradguess bench`), for a time estimate",
    };
    private readonly Option<bool> _measure = new("--measure")
    {
        Description = $"Time {ProbeSteps} steps of each pack configuration here for the time estimate",
    };
    private readonly Option<string> _device = new("--device")
    {
        Description = "cpu | cuda:N: where --measure times the packs (a GPU slot trains one pack at a time)",
        DefaultValueFactory = _ => "cpu",
    };
    private readonly Option<int> _threads = new Option<int>("--threads") { Description = "Intra-op threads per slot, with --measure", DefaultValueFactory = _ => 1 }.Threads();
    private readonly Option<int> _slots = new("--slots") { Description = "Slots training at once, for the time estimate", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _extend = new("--extend")
    {
        Description = "Plan only what this spec trains beside the stored sweep of its name (read from a cluster or --state-dir): " +
                      "the cells it adds, and the stored cells' extra epochs where it raises epochs",
    };
    private readonly SweepSourceOptions _source = new(allowOffline: true, "With --extend: read the stored sweep from a local state directory");
    private const int ProbeSteps = 16;

    /// <summary>A slot's rate, GFLOP/s: from a thousandth (well under any CPU's; a rate near 0 made a time no TimeSpan
    /// holds) to an exaflop (well over any GPU's).</summary>
    private const double MinGflops = 1e-3, MaxGflops = 1e9;

    public PlanCommand() : base("plan", "Check a sweep spec and show what it would run, without running it")
    {
        Arguments.Add(_spec);
        foreach (var o in new Option[] { _json, _gflops, _measure, _device, _threads, _slots, _extend }) Options.Add(o);
        _source.AddTo(this);
        SetAction((parse, ct) => Task.Run(() => ExecuteAsync(parse, ct), ct));   // measuring trains: off the caller's thread
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var (gflops, measure, threads, slots) = (parse.GetValue(_gflops), parse.GetValue(_measure), parse.GetValue(_threads), parse.GetValue(_slots));
        if (gflops is { } g && !(g is >= MinGflops and <= MaxGflops))
            throw new UsageException($"--gflops must be a number > 0 in GFLOP/s, from {MinGflops.ToString(CultureInfo.InvariantCulture)} to " +
                                     $"{MaxGflops.ToString("0e0", CultureInfo.InvariantCulture)} (got {g.ToString(CultureInfo.InvariantCulture)})");
        if (gflops is not null && measure) throw new UsageException("--gflops and --measure: choose one");
        if (slots < 1) throw new UsageException($"--slots must be >= 1 (got {slots})");
        if (parse.Gave(_threads) && !measure) throw new UsageException("--threads applies to --measure only");
        if (parse.Gave(_device) && !measure) throw new UsageException("--device applies to --measure only");
        if (parse.Gave(_slots) && !measure && gflops is null) throw new UsageException("--slots applies to a time estimate: give --measure or --gflops");
        var extend = parse.GetValue(_extend);
        if (!extend && _source.FirstGiven(parse) is { } option) throw new UsageException($"{option} applies to --extend only: a plan reads no sweep");
        var path = parse.GetValue(_spec)!;
        var spec = SweepSpecParser.ParseFile(path, earlierUnknown: extend);
        // A starting-weights file readable here is checked as the coordinator will; one only the silos read is said to be.
        if (spec.Model.Init is { } init && File.Exists(init)) spec = InitWeightsCheck.Complete(spec);
        var stored = extend ? await StoredAsync(parse, spec, path, ct) : null;
        if (measure) TorchRuntime.EnsureInitialised();   // here, not in a probe's task: a bad GRADGUESS_LIBTORCH is said once
        IPackTimeEstimate? time = gflops is { } rate ? new FlopRateEstimate(rate)
            // Piped, each configuration is a line of its own: a big grid measures for minutes, and a log should show it.
            : measure ? new MeasuredEstimate(threads, ProbeSteps, DeviceArgument.Resolve(parse.GetValue(_device)!), ct) { Measuring = p => Output.Progress(Measuring(p), final: Console.IsErrorRedirected) }
            : null;
        var plan = SweepPlanner.Build(spec, time, slots, stored?.Spec, stored?.Earlier, completed: stored?.Completed);
        if (measure) Output.Progress("measured every pack configuration", final: true);
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(plan);
            PlanView.RenderWarnings(plan);
        }
        else PlanView.Render(plan);
        return ExitCodes.Success;
    }

    /// <summary>The stored spec <paramref name="spec"/> extends, refused as the coordinator would refuse the extension, the
    /// specs the sweep had before it (null if it never grew; from its registry entry), so that its packs count as they grew,
    /// and its completed cells, which a raise of the epochs trains on (null where its status cannot be read).</summary>
    private async Task<(SweepSpec Spec, List<SweepSpec>? Earlier, IReadOnlySet<string>? Completed)?> StoredAsync(ParseResult parse, SweepSpec spec,
        string path, CancellationToken ct)
    {
        await using var source = await _source.OpenAsync(parse, ct);
        var (stored, earlier) = await StoredSweep.ReadAsync(source, spec.Name, ct)
                                ?? throw new UsageException($"--extend: there is no sweep named '{spec.Name}' to extend; plan it without --extend");
        if (SpecCanonical.Differences(stored, spec).Count == 0)
            throw new UsageException($"--extend: this spec is the one sweep '{spec.Name}' has: it adds no cells and raises no epochs");
        if (SpecExtension.Obstacles(stored, spec) is { Count: > 0 } obstacles)
            throw new SpecValidationException(obstacles, null, SpecExtension.CannotExtend(spec.Name));
        // Parsed without them, the cap on a pack's parameters is judged now, on the packs as the coordinator forms them.
        if (SweepSpecValidator.PackCap(spec, earlier: [.. earlier ?? [], stored]) is { } cap)
            throw new SpecValidationException([cap], path);
        var status = spec.Epochs > stored.Epochs ? await source.GetStatusAsync(spec.Name, ct) : null;
        return (stored, earlier, status?.Cells.Where(c => c.State == CellState.Completed).Select(c => c.CellId).ToHashSet());
    }

    private static string Measuring(PackSpec pack) =>
        $"measuring {EstimatorNames.Name(pack.Estimator.Kind)} with {OptimizerNames.Name(pack.Cells[0].Optimizer.Kind)}, " +
        $"{pack.PackSize} cell{(pack.PackSize == 1 ? "" : "s")} a pack...";
}
