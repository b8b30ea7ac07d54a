using System.CommandLine;
using GradGuessCluster.Client.Bench;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess bench</c>: training speed of every method against the machine's matmul peak, written to
/// docs/BENCHMARKS.md. Subcommands hold the other benches (orchestration overhead, command start-up).</summary>
internal sealed class BenchCommand : Command
{
    private readonly TrainingOptions _training = new(schedule: false);
    private readonly Option<string> _methods = new("--methods") { Description = "Comma-separated methods, or all", DefaultValueFactory = _ => "all" };
    private readonly Option<string> _batchSizes = new("--batch-sizes") { Description = "Comma-separated batch sizes", DefaultValueFactory = _ => "128,512" };
    private readonly Option<string> _packs = new("--packs") { Description = "Comma-separated pack sizes", DefaultValueFactory = _ => "1,4" };
    private readonly Option<int> _warmup = new("--warmup") { Description = "Untimed epochs per configuration", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _timed = new("--timed") { Description = "Timed epochs per configuration (median reported)", DefaultValueFactory = _ => 3 };
    private readonly Option<bool> _phases = new("--phases") { Description = "Also time each phase of a step, and this model's matmuls alone" };
    private readonly Option<string?> _out = new("--out") { Description = BenchmarksFile.OutHelp };

    public BenchCommand(IEnumerable<Command> subcommands) : base("bench", "Measure training speed (and, as subcommands, other benches)")
    {
        _training.AddTo(this);
        foreach (var o in new Option[] { _methods, _batchSizes, _packs, _warmup, _timed, _phases, _out }) Options.Add(o);
        foreach (var c in subcommands) Subcommands.Add(c);
        SetAction((parse, ct) => Task.Run(() => Execute(parse, ct), ct));
    }

    private int Execute(ParseResult parse, CancellationToken ct)
    {
        var methods = parse.GetValue(_methods) == "all"
            ? BenchScope.FullMethods
            : parse.GetValue(_methods)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var kinds = methods.Select(m => EstimatorNames.TryParse(m, out var k) ? k : throw new UsageException($"--methods: unknown '{m}'")).ToArray();
        RefuseDuplicates(kinds.Select(EstimatorNames.Name), "--methods");
        var batches = Ints(parse.GetValue(_batchSizes)!, "--batch-sizes");
        var packs = Ints(parse.GetValue(_packs)!, "--packs");
        if (kinds.Length == 0 || batches.Length == 0 || packs.Length == 0)
            throw new UsageException("--methods, --batch-sizes and --packs each need at least one value");
        int warmup = parse.GetValue(_warmup), timed = parse.GetValue(_timed);
        if (warmup < 0) throw new UsageException($"--warmup must be >= 0, got {warmup}");
        if (timed < 1) throw new UsageException($"--timed must be >= 1, got {timed}");
        if (warmup > MaxEpochs) throw new UsageException($"--warmup must be <= {MaxEpochs}, got {warmup}");
        if (timed > MaxEpochs) throw new UsageException($"--timed must be <= {MaxEpochs}, got {timed}");
        var outPath = BenchmarksFile.OutPath(parse.GetValue(_out));

        var setup = _training.Read(parse, [new CellSettings(TrainingBench.DefaultOptimizer, 0)], dataSeed: 0, methodOverride: methods[0]);
        CheckPackSizes(packs, setup.Spec);
        if (timed < BenchScope.MinTimed || warmup == 0)
            Output.Info($"note: {Units.Count(timed, "timed epoch")}{(warmup == 0 ? " and no warm-up (the first epoch pays for allocation and caches)" : "")}: " +
                        "each median and packing ratio rests on too little to quote (the committed figures use --timed 5)");
        using var data = DatasetLoader.Load(setup.Spec.Data, setup.Device);
        var machine = MachineInfo.Current();
        var device = BenchDevice.Of(setup.Device);
        Output.Info($"bench on {machine}, {Units.Count(setup.Threads, "thread")}{(device.IsCuda ? $", training on {device.Description}" : "")}");
        using var peak = new MatmulPeak(device);
        using var copy = new MemoryCopyRate(device);
        Output.Info($"matmul peak ({peak.Size}³ fp32 on {device.Description}) now: {peak.Sample(repeats: 5, record: false):F1} GFLOP/s, "
            + $"memory copy {copy.Sample(repeats: 5, record: false):F1} GB/s; both sampled again after every timed round");

        bool phases = parse.GetValue(_phases);
        var bench = new TrainingBench(data, device, setup.Spec, warmup, timed, peak, copy, phases);
        bench.Progress += Output.Info;
        var results = new List<TrainingBenchResult>();
        foreach (var kind in kinds)
            foreach (var batch in batches)
                results.AddRange(bench.Run(kind, batch, packs, ct));
        var shape = new MlpShape(data.Features, setup.Spec.Width, setup.Spec.Depth, data.Classes);
        var rates = phases
            ? batches.SelectMany(b => packs.Select(p => LayerMatmulRates.Measure(shape, b, p, device))).ToArray()
            : null;

        Output.Info("evaluation (train and test accuracy) at each pack size, in the trainer's chunks and in large ones");
        var evaluation = EvaluationBench.Measure(data, shape, packs, device, warmup, timed, ct);

        var scope = BenchScope.Of(kinds, batches, packs, setup.Spec, warmup, timed);
        var model = $"{setup.Spec.Depth}×{setup.Spec.Width} ReLU MLP ({data.Features}-{string.Join("-", Enumerable.Repeat(setup.Spec.Width, setup.Spec.Depth))}-{data.Classes})";
        var markdown = TrainingBenchReport.Markdown(results, machine, device, setup.Threads, peak.Size, peak.Samples,
            $"{data.Name}, {data.TrainCount} training examples", model, warmup, timed, rates, scope.Note, BenchmarksFile.CheckoutCommit(), copy.Samples,
            evaluation, data.TestCount);
        Output.Line(markdown);
        if (RunSteadiness.Note(peak.Samples, copy.Samples) is { } unsteady) Output.Info(unsteady);
        scope.Run(device, setup.Threads).SaveTo(outPath, markdown);
        return ExitCodes.Success;
    }

    /// <summary>Warm-up or timed epochs per configuration: the committed figures use 1 and 5, and a thousand epochs of one
    /// configuration take hours; past this a count is a typo.</summary>
    public const int MaxEpochs = 1000;

    /// <summary>Cells a bench pack may hold: its cells' learning rates halve from one to the next (<see cref="TrainingBench"/>),
    /// and past about 1,070 halvings of the first a rate is 0, which no optimizer takes.</summary>
    public const int MaxPackSize = 1024;

    private static int[] Ints(string csv, string option)
    {
        var values = csv.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.TryParse(s, out var v) && v > 0 ? v : throw new UsageException($"{option}: '{s}' is not a positive integer"))
            .ToArray();
        RefuseDuplicates(values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), option);
        return values;
    }

    /// <summary>As a spec refuses a list's duplicate values: a configuration given twice would be timed twice.</summary>
    private static void RefuseDuplicates(IEnumerable<string> values, string option)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
            if (!seen.Add(v)) throw new UsageException($"{option}: duplicate value {v}");
    }

    /// <summary>Each pack size against <see cref="MaxPackSize"/> and, as a sweep's packs are held, the parameters one pack's
    /// flat tensors can index: refused before the data loads, where an array of 2^31 cells once failed (exit 1).</summary>
    private static void CheckPackSizes(IEnumerable<int> packs, PackSpec template)
    {
        foreach (var pack in packs)
        {
            if (pack > MaxPackSize)
                throw new UsageException($"--packs: {pack} cells in a pack, more than a bench takes ({MaxPackSize}: its cells' learning rates halve one to the next)");
            try { PackSpecChecks.Validate(template with { Cells = [.. Enumerable.Repeat(template.Cells[0], pack)] }); }
            catch (ArgumentException e) { throw new UsageException($"--packs {pack}: {e.Message}"); }
        }
    }
}
