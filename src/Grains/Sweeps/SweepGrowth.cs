using System.Text.Json;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// How a sweep grew, as its registry entry keeps it: the grid axes of each spec it has had, oldest first and the current
/// one last, as one JSON string (a value the registry compares by content); none for a sweep never extended. The other
/// fields are the submitted spec's, since an extension changes nothing else. A sweep whose ledger is lost is rebuilt
/// from it with its packs as they were.
/// </summary>
internal static class SweepGrowth
{
    private sealed record Axes(IReadOnlyList<string> Methods, IReadOnlyList<string> Optimizers, IReadOnlyList<double> LearningRates,
        IReadOnlyList<int> Seeds);

    /// <summary>Null for a sweep never extended.</summary>
    public static string? Write(IReadOnlyList<SweepSpec>? earlier, SweepSpec current) => earlier is not { Count: > 0 } ? null
        : JsonSerializer.Serialize(earlier.Append(current).Select(s => new Axes(s.Methods, s.Optimizers, s.LearningRates, s.Seeds)));

    /// <summary>The specs before <paramref name="submitted"/> when it is the sweep's current spec or extends it (so its
    /// cells pack as they grew); null when the sweep never grew, <paramref name="growth"/> does not parse, or the spec
    /// is neither (then the sweep is rebuilt from the submitted spec alone).</summary>
    public static List<SweepSpec>? Before(string? growth, SweepSpec submitted)
    {
        if (Read(growth, submitted) is not { } specs) return null;
        if (SpecCanonical.Differences(specs[^1], submitted).Count == 0) return specs[..^1];
        return SpecExtension.Extends(specs[^1], submitted) ? specs : null;
    }

    private static List<SweepSpec>? Read(string? growth, SweepSpec current)
    {
        if (growth is null) return null;
        try
        {
            var axes = JsonSerializer.Deserialize<List<Axes>>(growth);
            if (axes is not { Count: > 0 } || axes.Any(a => a?.Methods is null || a.Optimizers is null || a.LearningRates is null || a.Seeds is null))
                return null;
            return axes.Select(a => current with { Methods = a.Methods, Optimizers = a.Optimizers, LearningRates = a.LearningRates, Seeds = a.Seeds }).ToList();
        }
        catch (JsonException) { return null; }
    }
}
