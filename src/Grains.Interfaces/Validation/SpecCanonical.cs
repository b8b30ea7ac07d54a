using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>
/// The canonical, flat form of a spec (field path → invariant text). Two specs are the same sweep exactly when their
/// canonical forms are equal (YAML layout, key order and number spelling do not matter); cell ids hash the shared part.
/// </summary>
public static class SpecCanonical
{
    /// <summary>Fields that shape the grid or its handling rather than any one cell's training.</summary>
    public static IReadOnlySet<string> GridFields { get; } = new HashSet<string>
    {
        "name", "methods", "optimizers", "learningRates", "seeds", "checkpointEvery", "selection.metric", "selection.at",
        SelectionWindowField, "packing", "maxCells",
    };

    /// <summary>Whether a canonical field shapes the grid (<see cref="GridFields"/>, or one row's own rates) rather than a cell's training.</summary>
    public static bool IsGridField(string field) => GridFields.Contains(field) || IsRowRatesField(field);

    /// <summary>One row's own learning rates (<see cref="SweepSpec.RowRates"/>) are a canonical field each, named for the row,
    /// so the order of the spec's <c>rowRates</c> entries does not matter, and an extension may add a row or rates to one.</summary>
    public static string RowRatesField(string method, string optimizer) => $"{RowRatesPrefix}{method}, {optimizer}]";

    public static bool IsRowRatesField(string field) => field.StartsWith(RowRatesPrefix, StringComparison.Ordinal);

    /// <summary>The row a <see cref="RowRatesField"/> names, as people read it: "wt × adamw".</summary>
    public static string RowOf(string field) => field[RowRatesPrefix.Length..^1].Replace(", ", " × ", StringComparison.Ordinal);

    /// <summary>A field that lists learning rates: the grid's (<c>learningRates</c>) or one row's own.</summary>
    public static bool IsRateField(string field) => field == "learningRates" || IsRowRatesField(field);

    private const string RowRatesPrefix = "rowRates[";

    public static SortedDictionary<string, string> Flatten(SweepSpec spec)
    {
        var d = spec.Data;
        var est = spec.EstimatorOrDefault;
        var opt = spec.OptimizerOrDefault;
        var diag = spec.DiagnosticsOrDefault;
        var sel = spec.SelectionOrDefault;
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = spec.Name,
            ["data.set"] = d.Set,
            ["data.dir"] = d.Directory ?? "(default)",
            ["model.depth"] = Text(spec.Model.Depth),
            ["model.width"] = Text(spec.Model.Width),
            ["methods"] = string.Join(",", spec.Methods),
            ["optimizers"] = string.Join(",", spec.Optimizers),
            ["learningRates"] = string.Join(",", spec.LearningRates.Select(Text)),
            ["seeds"] = string.Join(",", spec.Seeds.Select(Text)),
            ["epochs"] = Text(spec.Epochs),
            ["batchSize"] = Text(spec.BatchSize),
            ["evaluateEvery"] = Text(spec.EvaluateEvery),
            ["checkpointEvery"] = Text(spec.CheckpointEvery),
            ["diagnostics.cosineEvery"] = Text(diag.CosineEvery),
            ["diagnostics.effectiveRank"] = Text(diag.EffectiveRank),
            ["selection.metric"] = sel.Metric.ToString(),
            ["selection.at"] = sel.At.ToString(),
            ["packing"] = spec.Packing.ToString(),
            ["maxCells"] = Text(spec.MaxCells),
            ["estimator.guesses"] = Text(est.Guesses),
            ["estimator.normalise"] = est.Normalise is { } n ? Text(n) : "(method default)",
            ["estimator.onePass"] = Text(est.OnePass),
            ["estimator.matchedCosine"] = Text(est.MatchedCosine),
            ["optimizer.weightDecay"] = Optional(opt.WeightDecay),
            ["optimizer.momentum"] = Optional(opt.Momentum),
            ["optimizer.beta1"] = Optional(opt.Beta1),
            ["optimizer.beta2"] = Optional(opt.Beta2),
            ["optimizer.epsilon"] = Optional(opt.Epsilon),
            ["optimizer.clipThreshold"] = Optional(opt.ClipThreshold),
        };
        // Listed only where set: a field every stored sweep lacks must not change their canonical text or their cells' ids.
        if (opt.OutputLrScale is { } scale) fields[OutputLrScaleField] = Text(scale);
        // The default spelled out (constant, 0 warm-up epochs) is the same sweep as the default left out.
        if (opt.Schedule is { } schedule && schedule != SpecNames.Schedules[0]) fields[ScheduleField] = schedule;
        if (opt.WarmupEpochs is { } warmup and not 0) fields[WarmupEpochsField] = Text(warmup);
        if (spec.Model.InitScale is { } init) fields[InitScaleField] = Text(init);
        if (spec.Model.Init is { } file) fields["model.init"] = file;
        if (spec.Model.InitDigest is { } digest) fields["model.initDigest"] = digest;
        if (sel.Window is { } window) fields[SelectionWindowField] = Text(window);
        foreach (var row in spec.RowRatesOrEmpty.Where(r => r.LearningRates.Count > 0))
            fields[RowRatesField(row.Method, row.Optimizer)] = string.Join(",", row.LearningRates.Select(Text));
        if (d.IsSynthetic)
        {
            fields["data.train"] = Text(d.Train);
            fields["data.test"] = Text(d.Test);
            fields["data.features"] = Text(d.Features);
            fields["data.seed"] = Text(d.Seed);
        }
        return fields;
    }

    /// <summary>The fields whose values differ, as "field: stored X, submitted Y" errors (empty = the same sweep).</summary>
    public static List<SpecError> Differences(SweepSpec stored, SweepSpec submitted) =>
        DifferingFields(stored, submitted).Select(d =>
            {
                var (a, b) = DifferingValues.Shorten(Said(d.Field, d.A), Said(d.Field, d.B));
                return new SpecError(d.Field, $"stored {a}, submitted {b}");
            })
            .ToList();

    /// <summary>The fields whose canonical values differ, in field order, each value as <see cref="Readable"/> shows it;
    /// null where that spec lacks the field (a synthetic-only key).</summary>
    public static IEnumerable<(string Field, string? A, string? B)> DifferingFields(SweepSpec a, SweepSpec b)
    {
        var (fa, fb) = (Flatten(a), Flatten(b));
        return fa.Keys.Union(fb.Keys).Order(StringComparer.Ordinal)
            .Where(k => fa.GetValueOrDefault(k) != fb.GetValueOrDefault(k))
            .Select(k => (k, Shown(k, fa.GetValueOrDefault(k)), Shown(k, fb.GetValueOrDefault(k))));
    }

    private static string? Shown(string field, string? value) => value is null ? null : Readable(field, value);

    /// <summary>A canonical value as a message shows it: learning rates as the tables write them (1e-3), other numbers with a
    /// lower-case exponent (1e-08), enum names as a spec spells them (lr, trainAccuracy, final). The canonical text itself
    /// stays as it is: cell ids hash it.</summary>
    public static string Readable(string field, string value) => field switch
    {
        _ when field == "learningRates" || IsRowRatesField(field) => string.Join(",", value.Split(',').Select(v => Number(v) is { } lr ? LearningRateText.Of(lr) : v)),
        "packing" or "selection.metric" or "selection.at" when value.Length > 0 => char.ToLowerInvariant(value[0]) + value[1..],
        "data.dir" or "data.set" or "model.init" or "model.initDigest" => value,   // names, even where one reads as a number (a directory "1E5")
        _ => Number(value) is not null ? value.Replace('E', 'e') : value,
    };

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string Optional(double? value) => value is { } v ? Text(v) : "(optimizer default)";

    /// <summary>How a field that one spec lacks reads beside the other's value: listed only where set, the output layer's
    /// rate scale, the initialisation's scale and the selection's window are 1 unset; a field of another data set is none.</summary>
    /// <summary>A field's value as a person reads it: <see cref="Absent"/> where the spec lacks it, "[]" for an empty
    /// list (a confirmation's <c>learningRates</c>), which would otherwise read as nothing at all.</summary>
    public static string Said(string field, string? value) => value is null ? Absent(field) : value.Length == 0 ? "[]" : value;

    public static string Absent(string field) => field switch
    {
        OutputLrScaleField or InitScaleField or SelectionWindowField => "1 (unset)",
        ScheduleField => "constant (unset)",
        WarmupEpochsField => "0 (unset)",
        _ => "(none)",
    };

    private const string OutputLrScaleField = "optimizer.outputLrScale", InitScaleField = "model.initScale", SelectionWindowField = "selection.window";

    /// <summary>The schedule's fields, whose absence reads as the constant rate it trains at.</summary>
    public const string ScheduleField = "optimizer.schedule", WarmupEpochsField = "optimizer.warmupEpochs";

    /// <summary>Invariant round-trip text. -0 stays "-0" although it trains as 0: cell ids hash this text, and a sweep
    /// stored with -0 must keep its ids (a sweep spelled with 0 is another sweep, as before).</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    public static string Text(bool value) => value ? "true" : "false";
}
