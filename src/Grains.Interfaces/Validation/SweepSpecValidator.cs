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

    /// <summary>The training core's bounds (PackSpecChecks, OptimizerSettings), repeated here because this project does
    /// not reference it; SpecTrainingAgreementTests fails if the two drift apart.</summary>
    public const long MaxPackParameters = int.MaxValue;
    public const double MinEpsilon = 1.1e-19;

    /// <param name="skip">Paths already reported (a field that failed to read is not judged again).</param>
    public static List<SpecError> Validate(SweepSpec spec, IDataSetCheck? dataCheck = null, IEnumerable<string>? skip = null)
    {
        var skipped = new HashSet<string>(skip ?? []);
        var errors = new List<SpecError>();
        void Check(string path, bool ok, string message)
        {
            if (!ok && !skipped.Any(s => Related(path, s)))
                errors.Add(new SpecError(path, message));
        }

        Check("name", SweepNames.Problem(spec.Name) is null, SweepNames.Problem(spec.Name) ?? "");
        ValidateData(spec.Data, Check);
        Check("model.depth", spec.Model.Depth is >= 1 and <= MaxDepth, $"must be between 1 and {MaxDepth} (got {spec.Model.Depth})");
        Check("model.width", spec.Model.Width is >= 1 and <= MaxWidth, $"must be between 1 and {MaxWidth} (got {spec.Model.Width})");
        var model = spec.Model;
        if (model is { Depth: >= 1 and <= MaxDepth, Width: >= 1 and <= MaxWidth } && HiddenParameters(spec) is var hidden and > MaxPackParameters)
            Check("model", false, $"width {model.Width} with {model.Depth - 1} hidden-to-hidden layer(s)" +
                (spec.Packing == PackingMode.Lr ? $", {spec.LearningRates.Count} learning rates packed together," : "") +
                $" is {hidden:N0} hidden-layer parameters per pack, more than one pack can hold ({MaxPackParameters:N0})" +
                (spec.Packing == PackingMode.Lr ? "; make the model smaller or use packing: none" : "; make the model smaller"));
        ValidateAxis("methods", spec.Methods, SpecNames.Methods, Check);
        ValidateAxis("optimizers", spec.Optimizers, SpecNames.Optimizers, Check);
        Check("learningRates", spec.LearningRates.Count > 0, "empty: give at least one learning rate");
        for (var i = 0; i < spec.LearningRates.Count; i++)
        {
            var lr = spec.LearningRates[i];
            Check($"learningRates[{i}]", double.IsFinite(lr) && lr > 0, $"must be a finite number > 0 (got {Show(lr)})");
            Check($"learningRates[{i}]", spec.LearningRates.Take(i).All(x => x != lr), $"duplicate value {Show(lr)}");
        }
        Check("seeds", spec.Seeds.Count > 0, "empty: give at least one seed");
        for (var i = 0; i < spec.Seeds.Count; i++)
        {
            Check($"seeds[{i}]", spec.Seeds[i] >= 0, $"must be >= 0 (got {spec.Seeds[i]})");
            Check($"seeds[{i}]", spec.Seeds.Take(i).All(x => x != spec.Seeds[i]), $"duplicate value {spec.Seeds[i]}");
        }
        Check("epochs", spec.Epochs is >= 1 and <= MaxEpochs, $"must be between 1 and {MaxEpochs} (got {spec.Epochs})");
        Check("batchSize", spec.BatchSize >= 1, $"must be >= 1 (got {spec.BatchSize})");
        Check("evaluateEvery", spec.EvaluateEvery >= 1, $"must be >= 1 (got {spec.EvaluateEvery})");
        Check("checkpointEvery", spec.CheckpointEvery >= 1, $"must be >= 1 (got {spec.CheckpointEvery})");
        Check("diagnostics.cosineEvery", spec.DiagnosticsOrDefault.CosineEvery >= 0, $"must be >= 0 (got {spec.DiagnosticsOrDefault.CosineEvery}; 0 = off)");
        Check("maxCells", spec.MaxCells is >= 1 and <= HardMaxCells, $"must be between 1 and {HardMaxCells} (got {spec.MaxCells})");
        if (spec.MaxCells is >= 1 and <= HardMaxCells && spec.CellCount > spec.MaxCells)
            Check("maxCells", false, $"the grid has {spec.CellCount} cells ({spec.Methods.Count} methods × {spec.Optimizers.Count} optimizers × " +
                $"{spec.LearningRates.Count} learning rates × {spec.Seeds.Count} seeds), over the limit of {spec.MaxCells}");
        var est = spec.EstimatorOrDefault;
        Check("estimator.guesses", est.Guesses is >= 1 and <= 4096, $"must be between 1 and 4096 (got {est.Guesses})");
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

        // The data check touches the file system: only worth it once the set's name is right.
        if (dataCheck is not null && errors.All(e => !e.Path.StartsWith("data", StringComparison.Ordinal))
            && !skipped.Any(s => s.StartsWith("data", StringComparison.Ordinal)) && dataCheck.Problem(spec.Data) is { } missing)
            errors.Add(new SpecError("data", missing));
        return errors;
    }

    /// <summary>The hidden-to-hidden weights of one pack (every cell of it), which the trainer keeps in one flat tensor.</summary>
    private static long HiddenParameters(SweepSpec spec) =>
        (long)spec.Model.Width * spec.Model.Width * (spec.Model.Depth - 1) * (spec.Packing == PackingMode.Lr ? spec.LearningRates.Count : 1);

    private static void ValidateData(DataSpec data, Action<string, bool, string> check)
    {
        check("data.set", SpecNames.DataSets.Contains(data.Set),
            $"'{data.Set}' is not a known data set ({string.Join(", ", SpecNames.DataSets)})");
        check("data.dir", data.Directory is null || data.Directory.Trim().Length > 0, "must not be empty (leave it out for the default location)");
        if (!data.IsSynthetic) return;
        // Lower bounds as the generator's (SyntheticDataset.Validate): features are standardised with the training set's
        // spread, which one example does not have.
        check("data.train", data.Train is >= 2 and <= 10_000_000, $"must be between 2 and 10000000 (got {data.Train})");
        check("data.test", data.Test is >= 1 and <= 10_000_000, $"must be between 1 and 10000000 (got {data.Test})");
        check("data.features", data.Features is >= 2 and <= 1_000_000, $"must be between 2 and 1000000 (got {data.Features})");
    }

    private static void ValidateAxis(string path, IReadOnlyList<string> values, IReadOnlyList<string> known, Action<string, bool, string> check)
    {
        check(path, values.Count > 0, $"empty: give at least one of {string.Join(", ", known)}");
        for (var i = 0; i < values.Count; i++)
        {
            check($"{path}[{i}]", known.Contains(values[i]), $"unknown {path.TrimEnd('s')} '{SpecYamlNodes.Shorten(values[i])}' (known: {string.Join(", ", known)})");
            check($"{path}[{i}]", values.Take(i).All(v => v != values[i]), $"duplicate value '{values[i]}'");
        }
    }

    /// <summary>The same field, or one inside the other (a reported item error makes "the list is empty" redundant).</summary>
    private static bool Related(string a, string b) =>
        a == b || Inside(a, b) || Inside(b, a);

    private static bool Inside(string inner, string outer) =>
        outer.Length > 0 && (inner.StartsWith(outer + ".", StringComparison.Ordinal) || inner.StartsWith(outer + "[", StringComparison.Ordinal));

    private static string Show(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
