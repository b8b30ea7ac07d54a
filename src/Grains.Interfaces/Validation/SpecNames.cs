using System.Globalization;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>The names a spec may use. They mirror the training core's tables (EstimatorNames, OptimizerNames,
/// DataSource.KnownSets); a test keeps them equal, since this project stays free of TorchSharp.</summary>
public static class SpecNames
{
    public static IReadOnlyList<string> Methods { get; } =
        ["backprop", "directional", "activation-perturbation", "masked-perturbation", "wt", "downstream", "activation-mixing", "matched-noise"];

    /// <summary>The matched-noise oracle's name: also a method at a cosine of its own, <c>matched-noise@0.1</c>, so that one
    /// grid holds the oracle at several cosines, each a row of its results.</summary>
    public const string MatchedNoise = "matched-noise";

    private const string MatchedNoiseAt = MatchedNoise + "@";

    /// <summary>The cosine of a <c>matched-noise@C</c> method; null for any other name, or for a C that is no number.</summary>
    public static double? MatchedNoiseCosine(string method) =>
        IsMatchedNoiseAt(method)
        && double.TryParse(method.AsSpan(MatchedNoiseAt.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var c) ? c : null;

    /// <summary>The <c>matched-noise@C</c> name of the oracle at cosine <paramref name="c"/>, C in its shortest form.</summary>
    public static string MatchedNoiseAtCosine(double c) => MatchedNoiseAt + c.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The method name without its cosine: <c>matched-noise</c> for <c>matched-noise@C</c>, else the name.</summary>
    public static string BaseMethod(string method) => MatchedNoiseCosine(method) is null ? method : MatchedNoise;

    /// <summary>Names of the <c>matched-noise@C</c> form, valid or not: the methods <see cref="MatchedNoiseProblem"/> judges.</summary>
    public static bool IsMatchedNoiseAt(string method) => method.StartsWith(MatchedNoiseAt, StringComparison.Ordinal);

    /// <summary>What is wrong with a name of the <c>matched-noise@C</c> form (null when nothing): C in (0, 1], written in
    /// its shortest form, since two spellings of one cosine would train it twice.</summary>
    public static string? MatchedNoiseProblem(string method)
    {
        var shown = SpecYamlNodes.Shorten(method);
        if (MatchedNoiseCosine(method) is not { } c) return $"'{shown}': the cosine after '@' must be a number";
        if (!(c > 0 && c <= 1)) return $"'{shown}': the cosine must be in (0, 1]";
        var shortest = MatchedNoiseAtCosine(c);
        return shortest == method ? null : $"'{shown}': write it {shortest}";
    }

    public static IReadOnlyList<string> Optimizers { get; } = ["sgd", "adamw", "stable-adamw"];

    /// <summary>The <c>optimizer.schedule</c> names; the first is the default.</summary>
    public static IReadOnlyList<string> Schedules { get; } = ["constant", "cosine"];

    public static IReadOnlyList<string> DataSets { get; } = ["synthetic", "fashion-mnist", "mnist", "cifar10"];
}
