using System.Text;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>
/// A spec as YAML in the layout of <c>examples/</c>, every field the canonical form holds written out (defaults too, so the
/// reader sees what the sweep ran with; optional settings only where set, as the canonical form lists them). Parsed again by
/// <see cref="SweepSpecParser"/> it is the same sweep: the same canonical text, hence the same cell ids.
/// </summary>
public static class SweepSpecWriter
{
    public static string Write(SweepSpec spec)
    {
        var est = spec.EstimatorOrDefault;
        var opt = spec.OptimizerOrDefault;
        var diag = spec.DiagnosticsOrDefault;
        var sel = spec.SelectionOrDefault;
        var d = spec.Data;
        var yaml = new StringBuilder();
        void Line(string key, string value) => yaml.Append(key).Append(": ").Append(value).Append('\n');

        Line("name", Text(spec.Name));
        Line("data", Mapping(
            ("set", Text(d.Set)),
            ("dir", d.Directory is { } dir ? Text(dir) : null),
            ("train", d.IsSynthetic ? Number(d.Train) : null),
            ("test", d.IsSynthetic ? Number(d.Test) : null),
            ("features", d.IsSynthetic ? Number(d.Features) : null),
            ("seed", d.IsSynthetic ? Number(d.Seed) : null)));
        Line("model", Mapping(
            ("depth", Number(spec.Model.Depth)), ("width", Number(spec.Model.Width)),
            ("initScale", spec.Model.InitScale is { } init ? Number(init) : null),
            ("init", spec.Model.Init is { } file ? Text(file) : null),
            ("initDigest", spec.Model.InitDigest is { } digest ? Text(digest) : null)));
        Line("methods", List(spec.Methods.Select(Text)));
        Line("optimizers", List(spec.Optimizers.Select(Text)));
        Line("learningRates", List(spec.LearningRates.Select(LearningRate)));
        if (spec.RowRates is { Count: > 0 } rows)
        {
            yaml.Append("rowRates:\n");
            foreach (var row in rows)
                yaml.Append("  - ").Append(Mapping(("method", Text(row.Method)), ("optimizer", Text(row.Optimizer)),
                    ("learningRates", List(row.LearningRates.Select(LearningRate))))).Append('\n');
        }
        Line("seeds", List(spec.Seeds.Select(Number)));
        Line("epochs", Number(spec.Epochs));
        Line("batchSize", Number(spec.BatchSize));
        Line("evaluateEvery", Number(spec.EvaluateEvery));
        Line("checkpointEvery", Number(spec.CheckpointEvery));
        Line("diagnostics", Mapping(("cosineEvery", Number(diag.CosineEvery)), ("effectiveRank", Bool(diag.EffectiveRank))));
        Line("selection", Mapping(
            ("metric", SelectionNames.Metrics[sel.Metric == SelectionMetric.TestAccuracy ? 1 : 0]),
            ("at", SelectionNames.Points[sel.At == SelectionPoint.Best ? 1 : 0]),
            ("window", sel.Window is { } window ? Number(window) : null)));
        Line("estimator", Mapping(
            ("guesses", Number(est.Guesses)),
            ("normalise", est.Normalise is { } normalise ? Bool(normalise) : null),
            ("onePass", Bool(est.OnePass)),
            ("matchedCosine", Number(est.MatchedCosine))));
        (string, string?)[] optimizer =
        [
            ("weightDecay", Optional(opt.WeightDecay)), ("momentum", Optional(opt.Momentum)), ("beta1", Optional(opt.Beta1)),
            ("beta2", Optional(opt.Beta2)), ("epsilon", Optional(opt.Epsilon)), ("clipThreshold", Optional(opt.ClipThreshold)),
            ("outputLrScale", Optional(opt.OutputLrScale)), ("schedule", opt.Schedule), ("warmupEpochs", opt.WarmupEpochs is { } w ? Number(w) : null),
        ];
        if (optimizer.Any(f => f.Item2 is not null)) Line("optimizer", Mapping(optimizer));   // else each optimizer's own defaults
        Line("packing", spec.Packing == PackingMode.Lr ? "lr" : "none");
        Line("maxCells", Number(spec.MaxCells));
        return yaml.ToString();
    }

    /// <summary>A flow mapping of the fields that have a value.</summary>
    private static string Mapping(params (string Key, string? Value)[] fields) =>
        "{ " + string.Join(", ", fields.Where(f => f.Value is not null).Select(f => $"{f.Key}: {f.Value}")) + " }";

    private static string List(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";

    private static string? Optional(double? value) => value is { } v ? Number(v) : null;

    // Whole numbers and booleans as the canonical text spells them, which YAML reads back as written.
    private static string Number(int value) => SpecCanonical.Text(value);

    private static string Bool(bool value) => SpecCanonical.Text(value);

    /// <summary>As the tables write a rate (1e-3), which reads back as the same double.</summary>
    private static string LearningRate(double lr) => double.IsFinite(lr) ? LearningRateText.Of(lr) : Number(lr);

    /// <summary>The shortest text that reads back as the same double, with YAML's spelling of the non-finite values.</summary>
    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => ".inf",
        double.NegativeInfinity => "-.inf",
        _ when double.IsNaN(value) => ".nan",
        _ => SpecCanonical.Text(value).Replace('E', 'e'),
    };

    /// <summary>A name or path as a plain scalar where YAML reads it back as the same text (a word that is no number, bool or
    /// null; matched-noise@0.1 is one), else double-quoted with escapes.</summary>
    private static string Text(string value) => IsPlainWord(value) ? value : Quoted(value);

    private static bool IsPlainWord(string value) =>
        value.Length > 0 && char.IsAsciiLetter(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '@' or '_') &&
        value.ToLowerInvariant() is not ("null" or "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n");

    private static string Quoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        return text.Append('"').ToString();
    }
}
