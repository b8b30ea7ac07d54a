using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>Every semantic rule of a sweep spec. Collects all problems; an empty list means the spec is valid.</summary>
public static class SweepSpecValidator
{
    /// <summary>No spec may ask for more cells than this, whatever its <c>maxCells</c>.</summary>
    public const int HardMaxCells = 1_000_000;
    public const int MaxEpochs = 1_000_000;
    public const int MaxDepth = 64;
    public const int MaxWidth = 65_536;

    /// <summary>The training core's bounds on the initialisation's scale (PackSpec.MinInitScale, MaxInitScale).</summary>
    public const double MinInitScale = 1e-6, MaxInitScale = 1e3;
    private const string InitScaleRange = "from 1e-6 to 1000";

    /// <summary>Guesses per step (K), averaged: each is a forward-mode pass per step.</summary>
    public const int MaxGuesses = 4096;
    public const int MaxSyntheticTrain = 10_000_000, MaxSyntheticTest = 10_000_000, MaxSyntheticFeatures = 1_000_000;

    /// <summary>Floats a synthetic set may hold ((train + test) × features): 8 GiB of float32, generated on the CPU and then
    /// kept on the cell's device. The largest real set (CIFAR-10) holds 184 million.</summary>
    public const long MaxSyntheticFloats = int.MaxValue;

    /// <summary>No set is larger than <see cref="MaxSyntheticTrain"/>, and a batch larger than its set is the whole set
    /// (the trainer takes it, the plan warns of it), so a larger batch means nothing more.</summary>
    public const int MaxBatchSize = MaxSyntheticTrain;

    /// <summary>The training core's bounds (PackSpecChecks, OptimizerSettings), repeated here because this project does
    /// not reference it; SpecTrainingAgreementTests fails if the two drift apart.</summary>
    public const long MaxPackParameters = int.MaxValue;
    public const double MinEpsilon = 1.1e-19;

    /// <summary>Every set has this many classes (the model's output layer).</summary>
    public const int Classes = 10;

    /// <summary>The input features of a set: the synthetic set's own, or those of a set read from files (as the training
    /// core's DataShape.Published); null for an unknown set.</summary>
    public static int? Features(DataSpec data) => data.Set switch
    {
        DataSpec.SyntheticSet => data.Features,
        "fashion-mnist" or "mnist" => 28 * 28,
        "cifar10" => 32 * 32 * 3,
        _ => null,
    };

    /// <param name="skip">Paths already reported (a field that failed to read is not judged again).</param>
    /// <param name="earlier">For an extension: the specs the sweep had before, oldest first, the stored one last (as
    /// SweepGrid.Expand takes them). Each generation packs its new cells apart (<see cref="SpecPacks"/>), so the cap on a
    /// pack's parameters judges the largest pack the grid really forms, not every learning rate together.</param>
    /// <param name="earlierUnknown">The spec may be for a stored sweep whose earlier specs this caller does not know (an
    /// extension, or the same spec again after the sweep grew): the cap judges one cell, which every pack holds, and
    /// <see cref="PackCap"/> the packs once they are known (the coordinator knows them).</param>
    public static List<SpecError> Validate(SweepSpec spec, IDataSetCheck? dataCheck = null, IEnumerable<string>? skip = null,
        IReadOnlyList<SweepSpec>? earlier = null, bool earlierUnknown = false)
    {
        var skipped = new ReportedPaths(skip ?? []);
        var errors = new List<SpecError>();
        void Check(string path, bool ok, string message)
        {
            if (!ok && !skipped.Related(path))
                errors.Add(new SpecError(path, message));
        }

        Check("name", SweepNames.Problem(spec.Name) is null, SweepNames.Problem(spec.Name) ?? "");
        ValidateData(spec.Data, Check);
        Check("model.depth", spec.Model.Depth is >= 1 and <= MaxDepth, $"must be between 1 and {MaxDepth} (got {spec.Model.Depth})");
        Check("model.width", spec.Model.Width is >= 1 and <= MaxWidth, $"must be between 1 and {MaxWidth} (got {spec.Model.Width})");
        Check("model.initScale", spec.Model.InitScale is null or (>= MinInitScale and <= MaxInitScale),
            $"must be {InitScaleRange} (got {Show(spec.Model.InitScale ?? 0)})");
        ValidateInit(spec.Model, Check);
        if (PackCap(spec, earlier, earlierUnknown) is { } cap) Check(cap.Path, false, cap.Message);
        ValidateAxis("methods", spec.Methods, SpecNames.Methods, Check, skipped,
            new AxisVariant($"{SpecNames.MatchedNoise}@C for the oracle at cosine C", SpecNames.IsMatchedNoiseAt, SpecNames.MatchedNoiseProblem));
        ValidateAxis("optimizers", spec.Optimizers, SpecNames.Optimizers, Check, skipped);
        LearningRateRules.Rates("learningRates", spec.LearningRates, Check, skipped, mayBeEmpty: spec.RowRatesOrEmpty.Count > 0);
        LearningRateRules.Rows(spec, Check, skipped);
        Check("seeds", spec.Seeds.Count > 0, "empty: give at least one seed");
        var seeds = NewUnless<int>(skipped);
        for (var i = 0; i < spec.Seeds.Count; i++)
        {
            Check($"seeds[{i}]", spec.Seeds[i] >= 0, $"must be >= 0 (got {spec.Seeds[i]})");
            Check($"seeds[{i}]", seeds($"seeds[{i}]", spec.Seeds[i]), $"duplicate value {spec.Seeds[i]}");
        }
        Check("epochs", spec.Epochs is >= 1 and <= MaxEpochs, $"must be between 1 and {MaxEpochs} (got {spec.Epochs})");
        Check("batchSize", spec.BatchSize >= 1, $"must be >= 1 (got {spec.BatchSize})");
        Check("batchSize", spec.BatchSize <= MaxBatchSize,
            $"must be at most {MaxBatchSize} (got {spec.BatchSize}): no data set is larger, and a batch larger than its set is the whole set");
        Check("evaluateEvery", spec.EvaluateEvery >= 1, $"must be >= 1 (got {spec.EvaluateEvery})");
        Check("checkpointEvery", spec.CheckpointEvery >= 1, $"must be >= 1 (got {spec.CheckpointEvery})");
        Check("diagnostics.cosineEvery", spec.DiagnosticsOrDefault.CosineEvery >= 0, $"must be >= 0 (got {spec.DiagnosticsOrDefault.CosineEvery}; 0 = off)");
        if (spec.SelectionOrDefault is { Window: { } window } selection && SelectionWindow.Problem(spec, selection.At, null, window) is { } wrong)
            Check("selection.window", false, wrong);
        Check("maxCells", spec.MaxCells is >= 1 and <= HardMaxCells, $"must be between 1 and {HardMaxCells} (got {spec.MaxCells})");
        if (spec.MaxCells is >= 1 and <= HardMaxCells && spec.CellCount > spec.MaxCells)
            Check("maxCells", false, $"the grid has {spec.CellCount} cells ({Factors(spec)}), over the limit of {spec.MaxCells}");
        var est = spec.EstimatorOrDefault;
        Check("estimator.guesses", est.Guesses is >= 1 and <= MaxGuesses, $"must be between 1 and {MaxGuesses} (got {est.Guesses})");
        Check("estimator.matchedCosine", est.MatchedCosine is > 0 and <= 1, $"must be in (0, 1] (got {Show(est.MatchedCosine)})");
        var opt = spec.OptimizerOrDefault;
        void Range(string key, double? value, bool ok, string rule) => Check("optimizer." + key, value is null || ok, $"{rule} (got {Show(value ?? 0)})");
        Range("weightDecay", opt.WeightDecay, opt.WeightDecay is >= 0 and < double.PositiveInfinity, "must be >= 0");
        Range("momentum", opt.Momentum, opt.Momentum is >= 0 and < 1, "must be in [0, 1)");
        Range("beta1", opt.Beta1, opt.Beta1 is >= 0 and < 1, "must be in [0, 1)");
        Range("beta2", opt.Beta2, opt.Beta2 is >= 0 and < 1, "must be in [0, 1)");
        // The trainer's bound (OptimizerSettings.MinEpsilon): below it ε² is no normal float32 and StableAdamW gives NaN.
        Range("epsilon", opt.Epsilon, opt.Epsilon is >= MinEpsilon and < double.PositiveInfinity, $"must be >= {MinEpsilon:g}");
        Range("clipThreshold", opt.ClipThreshold, opt.ClipThreshold is > 0 and < double.PositiveInfinity, "must be > 0");
        Range("outputLrScale", opt.OutputLrScale, opt.OutputLrScale is > 0 and < double.PositiveInfinity, "must be > 0");
        if (opt.OutputLrScale is > 0 and < double.PositiveInfinity and var k)
            foreach (var lr in spec.LearningRates.Concat(spec.RowRatesOrEmpty.SelectMany(r => r.LearningRates)).Where(lr => double.IsFinite(lr) && lr > 0 && !LearningRateRules.Trainable(lr * k)).Take(1))
                Check("optimizer.outputLrScale", false, $"makes the output layer's learning rate {(lr * k).ToString("g6", System.Globalization.CultureInfo.InvariantCulture)} (learning rate {Show(lr)} × {Show(k)}), " +
                    $"{((float)(lr * k) > 0 ? "infinite" : "0")} in float32, which training steps in");

        ScheduleRules.Check(spec, Check);

        // The data check touches the file system: only worth it once the set's name is right.
        if (dataCheck is not null && errors.All(e => !e.Path.StartsWith("data", StringComparison.Ordinal))
            && !skipped.Related("data") && dataCheck.Problem(spec.Data) is { } missing)
            errors.Add(new SpecError("data", missing));
        return errors;
    }

    /// <summary>
    /// The cap on a pack's parameters alone, as <see cref="Validate"/> judges it among the rest: for a caller that validated
    /// with <c>earlierUnknown</c> and has since learnt whether and how the sweep grew (null <paramref name="earlier"/>: a new
    /// sweep, every learning rate packed together). Null when the packs fit, or when the model or the data are outside
    /// their bounds (which Validate reports).
    /// </summary>
    public static SpecError? PackCap(SweepSpec spec, IReadOnlyList<SweepSpec>? earlier = null, bool earlierUnknown = false)
    {
        var model = spec.Model;
        if (model is not { Depth: >= 1 and <= MaxDepth, Width: >= 1 and <= MaxWidth } || Inputs(spec.Data) is not { } inputs) return null;
        var perCell = CellParameters(model, inputs);
        var packedLrs = LargestLrPack(spec, perCell, earlier, earlierUnknown);
        var parameters = perCell * (packedLrs ?? 1);
        if (parameters <= MaxPackParameters) return null;
        var packed = packedLrs is { } n ? $", {n} learning rates packed together," : "";
        return new SpecError("model", $"depth {model.Depth} × width {model.Width} on {spec.Data.Set} ({inputs} inputs, {Classes} classes){packed} " +
            $"is {parameters:N0} weights and biases per pack, more than one pack's parameter tensor can hold ({MaxPackParameters:N0})" +
            (earlier is not null ? "; an extension keeps the model and packing: add fewer learning rates at a time (an added method, optimizer or seed " +
                  "packs all of its learning rates together), or choose a new name"
                : packed.Length > 0 ? "; make the model smaller or use packing: none" : "; make the model smaller"));
    }

    /// <summary>The input layer's size, when the set and (synthetic) its features are valid.</summary>
    private static int? Inputs(DataSpec data) => Features(data) is int features and >= 2 and <= MaxSyntheticFeatures ? features : null;

    /// <summary>Every layer's weights and biases of one cell, as the training core's MlpShape counts them. A pack's cells
    /// share one flat tensor [cells, parameters] (and each optimizer buffer another), so the cap is on their sum.</summary>
    private static decimal CellParameters(ModelSpec model, int inputs)
    {
        long width = model.Width, depth = model.Depth;
        return inputs * width + width + (depth - 1) * (width * width + width) + width * Classes + Classes;
    }

    /// <summary>The learning rates of the largest pack, with packing <c>lr</c> (null: a pack is one cell, or may be as far
    /// as this caller knows). A first spec packs all of them together; an extension as its generations pack, counted only
    /// when all of them together would not fit and the grids are small enough to list (a larger one is refused for its
    /// size anyway).</summary>
    private static int? LargestLrPack(SweepSpec spec, decimal perCell, IReadOnlyList<SweepSpec>? earlier, bool earlierUnknown)
    {
        if (spec.Packing != PackingMode.Lr || earlierUnknown) return null;
        if (earlier is null || perCell * spec.MostRatesInARow <= MaxPackParameters
            || spec.CellCount > HardMaxCells) return spec.MostRatesInARow;
        return SpecPacks.Of(earlier.Append(spec), c => c).Max(p => p.Count);
    }

    /// <summary>"2 methods × 2 optimizers × 4 learning rates × 1 seeds", with the rates of rowRates added where there are
    /// any, so the count adds up.</summary>
    private static string Factors(SweepSpec spec)
    {
        var product = $"{spec.Methods.Count} methods × {spec.Optimizers.Count} optimizers × {spec.LearningRates.Count} learning rates";
        var own = $"{spec.RowRateCount} rate{(spec.RowRateCount == 1 ? "" : "s")} of rowRates";
        var grid = spec.RowRateCount == 0 ? product : spec.LearningRates.Count == 0 ? own : $"({product} + {own})";
        return $"{grid} × {spec.Seeds.Count} seeds";
    }

    /// <summary>What makes <paramref name="dir"/> no usable data.dir, or null.</summary>
    public static string? DataDirectoryProblem(string dir) =>
        dir.Trim().Length == 0 ? "must not be empty (leave it out for the default location)"
        : dir.Any(char.IsControl) ? $"must not contain control characters (got '{SpecYamlNodes.Shorten(dir)}')"
        : null;

    /// <summary>A weights file to start from: a usable path, never beside a scale (which draws nothing to scale), and a
    /// digest only with it, as SHA-256's first 32 hex digits. Whether the file is there and fits the model is the
    /// coordinator's to say (InitWeightsCheck), on a silo that reads it.</summary>
    private static void ValidateInit(ModelSpec model, Action<string, bool, string> check)
    {
        if (model.Init is { } init && DataDirectoryProblem(init) is { } problem)
            check("model.init", false, problem.Replace("leave it out for the default location", "leave it out to draw the weights"));
        check("model.init", model.Init is null || model.InitScale is null,
            "starts every cell from a file's weights, which model.initScale would not scale: give one of them");
        check("model.initDigest", model.InitDigest is null || model.Init is not null, "is the digest of model.init's file: give model.init too");
        check("model.initDigest", model.InitDigest is null || model.InitDigest.Length == 32 && model.InitDigest.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'),
            $"must be 32 lower-case hex digits, the start of the file's SHA-256 (got '{SpecYamlNodes.Shorten(model.InitDigest ?? "")}')");
    }

    private static void ValidateData(DataSpec data, Action<string, bool, string> check)
    {
        check("data.set", SpecNames.DataSets.Contains(data.Set),
            $"'{SpecYamlNodes.Shorten(data.Set)}' is not a known data set {NearestName.KnownList(data.Set, SpecNames.DataSets)}");
        if (data.Directory is { } dir && DataDirectoryProblem(dir) is { } problem) check("data.dir", false, problem);
        if (!data.IsSynthetic) return;
        // Lower bounds as the generator's (SyntheticDataset.Validate): features are standardised with the training set's
        // spread, which one example does not have.
        check("data.train", data.Train is >= 2 and <= MaxSyntheticTrain, $"must be between 2 and {MaxSyntheticTrain} (got {data.Train})");
        check("data.test", data.Test is >= 1 and <= MaxSyntheticTest, $"must be between 1 and {MaxSyntheticTest} (got {data.Test})");
        check("data.features", data.Features is >= 2 and <= MaxSyntheticFeatures, $"must be between 2 and {MaxSyntheticFeatures} (got {data.Features})");
        if (data is { Train: >= 2 and <= MaxSyntheticTrain, Test: >= 1 and <= MaxSyntheticTest, Features: >= 2 and <= MaxSyntheticFeatures }
            && ((long)data.Train + data.Test) * data.Features is var floats && floats > MaxSyntheticFloats)
            check("data", false, $"(train {data.Train} + test {data.Test}) × features {data.Features} is {floats:N0} floats, " +
                $"more than a synthetic set may hold ({MaxSyntheticFloats:N0}, 8 GiB of float32)");
    }

    /// <summary>Values of an axis beyond its known names that follow a form of their own (<c>matched-noise@0.1</c>).</summary>
    /// <param name="Known">The form as the "known" list of an unknown value's error names it.</param>
    /// <param name="Is">Whether a value has the form, valid or not.</param>
    /// <param name="Problem">What is wrong with a value of the form; null when nothing.</param>
    private sealed record AxisVariant(string Known, Func<string, bool> Is, Func<string, string?> Problem);

    private static void ValidateAxis(string path, IReadOnlyList<string> values, IReadOnlyList<string> known, Action<string, bool, string> check,
        ReportedPaths skipped, AxisVariant? variant = null)
    {
        check(path, values.Count > 0, $"empty: give at least one of {string.Join(", ", known)}");
        var unseen = NewUnless<string>(skipped);
        for (var i = 0; i < values.Count; i++)
        {
            var ofVariant = variant is not null && !known.Contains(values[i]) && variant.Is(values[i]);
            check($"{path}[{i}]", known.Contains(values[i]) || ofVariant, $"unknown {path.TrimEnd('s')} '{SpecYamlNodes.Shorten(values[i])}' {NearestName.KnownList(values[i], known, variant?.Known)}");
            if (ofVariant && variant!.Problem(values[i]) is { } problem) check($"{path}[{i}]", false, problem);
            check($"{path}[{i}]", unseen($"{path}[{i}]", values[i]), $"duplicate value '{SpecYamlNodes.Shorten(values[i])}'");
        }
    }

    /// <summary>A test that a list item's value is new, in constant time (a quadratic scan hangs on a list of 200,000
    /// seeds before the grid's size is judged). An item that failed to read stands in as a placeholder: no duplicate.</summary>
    private static Func<string, T, bool> NewUnless<T>(ReportedPaths skipped)
    {
        var seen = new HashSet<T>();
        return (path, value) => skipped.Related(path) || seen.Add(value);
    }

    private static string Show(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
