using System.CommandLine;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Weights;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Commands;

/// <summary>The options that describe a pack (data, model, method, schedule, threads, device), shared by
/// <c>train</c> and <c>bench</c>.</summary>
/// <param name="schedule">false for commands that choose the method, batch size and schedule themselves (bench):
/// then --method, --epochs, --batch-size, the evaluation options and --init-scale (no speed depends on it) are not
/// offered, rather than silently ignored, and
/// <see cref="Read"/> uses their defaults.</param>
internal sealed class TrainingOptions(bool schedule = true)
{
    private readonly Option<string> _data = new("--data") { HelpName = "data", Description = "synthetic | fashion-mnist | mnist | cifar10", DefaultValueFactory = _ => "fashion-mnist" };
    private readonly Option<string?> _dataDir = new Option<string?>("--data-dir") { Description = "Directory with the data files (default: the set's standard location)" }.NotEmpty();
    private readonly Option<string> _method = new("--method") { HelpName = "method", Description = "backprop | directional | activation-perturbation | wt | downstream | activation-mixing | matched-noise | matched-noise@C (the oracle at cosine C)", DefaultValueFactory = _ => "backprop" };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Epochs to train", DefaultValueFactory = _ => DefaultEpochs };
    private readonly Option<int> _batchSize = new("--batch-size") { Description = "Mini-batch size", DefaultValueFactory = _ => DefaultBatchSize };
    private readonly Option<int> _width = new("--width") { Description = "Hidden width", DefaultValueFactory = _ => 128 };
    private readonly Option<int> _depth = new("--depth") { Description = "Hidden layers", DefaultValueFactory = _ => 3 };
    private readonly Option<int> _threads = new Option<int>("--threads") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => 1 }.Threads();
    private readonly Option<string> _device = new("--device") { HelpName = "device", Description = "cpu | cuda:N", DefaultValueFactory = _ => "cpu" };
    private readonly Option<int> _guesses = new("--guesses") { Description = "Guesses per step, averaged (K)", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _normalise = new("--normalise") { Description = "on | off: per-example guess normalisation (default: the method's)" };
    private readonly Option<bool> _perLayer = new("--per-layer") { Description = "One tangent pass per layer instead of all layers in one pass" };
    private readonly Option<double> _matchedCosine = new("--matched-cosine") { Description = "matched-noise: target cosine", DefaultValueFactory = _ => 0.1 };
    private readonly Option<int> _cosineEvery = new("--cosine-every") { Description = "Steps between cosine-similarity samples (0 = off)", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _evaluateEvery = new("--evaluate-every") { Description = "Epochs between accuracy evaluations", DefaultValueFactory = _ => DefaultEvaluateEvery };
    private readonly Option<bool> _effectiveRank = new("--effective-rank") { Description = "Report each weight matrix's effective rank at evaluations" };
    private readonly Option<double?> _initScale = new("--init-scale") { Description = "Every initial weight and bias times this, 1e-6 to 1000 (default 1: PyTorch's initialisation)" };
    private readonly Option<string?> _init = new Option<string?>("--init")
    {
        Description = "Start from a weights file's weights instead of drawn ones (a .safetensors or .npz as weights writes it: " +
                      "0.weight, 0.bias, 2.weight, ... of this model's shapes)",
        HelpName = "FILE",
    }.NotEmpty();

    private const int DefaultEpochs = 1, DefaultBatchSize = 512, DefaultEvaluateEvery = 1;

    public void AddTo(Command command)
    {
        _data.CompletionSources.Add([.. DataSource.KnownSets]);
        _device.CompletionSources.Add("cpu", "cuda:0");
        _method.CompletionSources.Add([.. EstimatorNames.All]);
        foreach (var o in new Option[] { _data, _dataDir, _width, _depth, _threads, _device, _guesses, _normalise, _perLayer, _matchedCosine })
            command.Options.Add(o);
        if (schedule)
            foreach (var o in new Option[] { _method, _epochs, _batchSize, _cosineEvery, _evaluateEvery, _effectiveRank, _initScale, _init })
                command.Options.Add(o);
    }

    public sealed record Setup(PackSpec Spec, Device Device, int Threads);

    /// <summary>With one <c>--method</c>, an option that method does not read is a mistake, not a no-op (a bench runs
    /// many methods and applies each option where it fits).</summary>
    private void RefuseIgnored(ParseResult parse, EstimatorKind method, string name)
    {
        if (!method.Guesses() && parse.Gave(_guesses)) throw new UsageException($"--guesses: {name} draws no guess");
        if (!method.ActivationSpace() && parse.Gave(_normalise))
            throw new UsageException($"--normalise: {name} has no activation guess to normalise ({EstimatorNames.ActivationSpace} do)");
        if (!method.ActivationSpace() && parse.Gave(_perLayer))
            throw new UsageException($"--per-layer: {name} has no per-layer tangent passes ({EstimatorNames.ActivationSpace} do)");
        if (method != EstimatorKind.MatchedNoise && parse.Gave(_matchedCosine)) throw new UsageException("--matched-cosine: only matched-noise reads it");
    }

    /// <summary>The oracle's cosine: C of a <c>matched-noise@C</c> method, as a spec names it, or --matched-cosine.
    /// The two together would give it twice; a malformed C is refused in the spec's words.</summary>
    private double MatchedCosine(ParseResult parse, string methodName)
    {
        if (!SpecNames.IsMatchedNoiseAt(methodName)) return parse.GetValue(_matchedCosine);
        if (SpecNames.MatchedNoiseProblem(methodName) is { } problem) throw new UsageException($"--method: {problem}");
        if (parse.Gave(_matchedCosine))
            throw new UsageException($"--matched-cosine: '{methodName}' gives the cosine already: use one or the other");
        return SpecNames.MatchedNoiseCosine(methodName)!.Value;
    }

    /// <summary>Builds the pack spec, sets the thread count and resolves the device; bad values → <see cref="UsageException"/>.</summary>
    public Setup Read(ParseResult parse, IReadOnlyList<CellSettings> cells, int dataSeed, string? methodOverride = null)
    {
        var set = parse.GetValue(_data)!;
        DataOptionRules.RequireKnown(set);
        var methodName = methodOverride ?? (schedule ? parse.GetValue(_method)! : throw new InvalidOperationException("without --method the caller names the method"));
        var matchedCosine = MatchedCosine(parse, methodName);
        if (!EstimatorNames.TryParse(SpecNames.BaseMethod(methodName), out var method))
            throw new UsageException($"--method: unknown '{methodName}' {NearestName.KnownList(methodName, EstimatorNames.All, $"{SpecNames.MatchedNoise}@C")}");
        bool? normalise = parse.GetValue(_normalise) switch
        {
            null => null,
            "on" => true,
            "off" => false,
            var v => throw new UsageException($"--normalise: expected on or off, got '{v}'"),
        };
        DataOptionRules.RefuseDirectoryForGenerated(set, parse.GetValue(_dataDir));
        if (schedule)   // a spec's bounds, in its words (past them train took 2^31-1 epochs, or a batch no set fills)
        {
            int epochs = parse.GetValue(_epochs), batchSize = parse.GetValue(_batchSize);
            if (epochs is < 1 or > SweepSpecValidator.MaxEpochs)
                throw new UsageException($"--epochs must be between 1 and {SweepSpecValidator.MaxEpochs} (got {epochs})");
            if (batchSize > SweepSpecValidator.MaxBatchSize)
                throw new UsageException($"--batch-size must be at most {SweepSpecValidator.MaxBatchSize} (got {batchSize}): " +
                                         "no data set is larger, and a batch larger than its set is the whole set");
        }
        int guesses = parse.GetValue(_guesses);
        if (guesses > SweepSpecValidator.MaxGuesses) throw new UsageException($"--guesses must be <= {SweepSpecValidator.MaxGuesses} (as a spec's estimator.guesses), got {guesses}");
        var estimator = new EstimatorSettings(method, guesses, !parse.GetValue(_perLayer), normalise, matchedCosine);
        var spec = new PackSpec(new DataSource(set, parse.GetValue(_dataDir)), parse.GetValue(_depth), parse.GetValue(_width),
            estimator, Scheduled(_batchSize, DefaultBatchSize), Scheduled(_epochs, DefaultEpochs), dataSeed, cells,
            Scheduled(_evaluateEvery, DefaultEvaluateEvery), Scheduled(_cosineEvery, 0), Scheduled(_effectiveRank, false),
            InitScale: Scheduled(_initScale, null));
        if (Scheduled(_init, null) is { } init)
        {
            if (!File.Exists(init)) throw new UsageException($"--init: no file at {init}");
            spec = spec with { InitFrom = init, InitDigest = InitialWeights.Digest(init) };
        }

        // The schedule options exist only on commands that offer them (train); the others get these fixed values.
        T Scheduled<T>(Option<T> option, T fixedValue) => schedule ? parse.GetValue(option)! : fixedValue;
        try
        {
            PackSpecChecks.Validate(spec);
            EstimatorFactory.Create(estimator);
        }
        catch (ArgumentException e) { throw SettingOptions.Usage(e); }
        if (methodOverride is null) RefuseIgnored(parse, method, methodName);

        int threads = parse.GetValue(_threads);   // bounded while parsing
        TorchRuntime.SetThreads(threads);
        return new Setup(spec, DeviceArgument.Resolve(parse.GetValue(_device)!), threads);
    }
}
