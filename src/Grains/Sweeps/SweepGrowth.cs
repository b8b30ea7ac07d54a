using System.Text.Json;
using System.Text.Json.Serialization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// How a sweep grew, as its registry entry keeps it: the grid axes of each spec it has had, oldest first and the current
/// one last, as one JSON string (a value the registry compares by content); none for a sweep never extended. Each
/// generation's epochs too, where an extension raised them since (its cells' ids hash the first one's). The other fields
/// are the submitted spec's, since an extension changes nothing else. A sweep whose ledger is lost is rebuilt
/// from it with its packs as they were, from whichever of its specs is submitted again.
/// </summary>
public static class SweepGrowth
{
    /// <param name="Epochs">Kept for every generation once an extension raised them, for none before: the entries of sweeps
    /// whose epochs never grew read as they did.</param>
    /// <param name="RowRates">Kept where the spec has any: the entries of sweeps without them read as they did.</param>
    private sealed record Axes(IReadOnlyList<string> Methods, IReadOnlyList<string> Optimizers, IReadOnlyList<double> LearningRates,
        IReadOnlyList<int> Seeds, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Epochs = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RowLearningRates>? RowRates = null);

    /// <summary>Null for a sweep never extended.</summary>
    public static string? Write(IReadOnlyList<SweepSpec>? earlier, SweepSpec current)
    {
        if (earlier is not { Count: > 0 }) return null;
        bool epochsGrew = earlier.Any(s => s.Epochs != current.Epochs);
        return JsonSerializer.Serialize(earlier.Append(current).Select(s =>
            new Axes(s.Methods, s.Optimizers, s.LearningRates, s.Seeds, epochsGrew ? s.Epochs : null, s.RowRates is { Count: > 0 } rows ? rows : null)));
    }

    /// <summary>The specs the sweep had before <paramref name="submitted"/>, oldest first, so that its cells pack as they
    /// grew: when it is one of the sweep's specs (canonically: the current one, or an older one submitted again after the
    /// ledger was lost), the specs before that one; when it extends one, that one and those before it. The latest spec it
    /// is or extends counts. Null when the sweep never grew, <paramref name="growth"/> does not parse, the spec is the
    /// first one, or it is none of them and extends none (then the sweep is rebuilt from the submitted spec alone).</summary>
    /// <remarks>Public for <c>gradguess plan --extend</c>, which reads a stored sweep's earlier specs from its registry entry
    /// (<see cref="SweepSummary.Growth"/>) with the stored spec as <paramref name="submitted"/>.</remarks>
    public static List<SweepSpec>? Before(string? growth, SweepSpec submitted)
    {
        if (Read(growth, submitted) is not { } specs) return null;
        for (int i = specs.Count - 1; i >= 0; i--)
        {
            if (SpecCanonical.Differences(specs[i], submitted).Count == 0) return i == 0 ? null : specs[..i];
            if (SpecExtension.Extends(specs[i], submitted)) return specs[..(i + 1)];
        }
        return null;
    }

    /// <summary>The cells of every generation in <paramref name="growth"/> that <paramref name="grid"/> (rebuilt from an
    /// older spec) leaves out; none when the sweep never grew or <paramref name="growth"/> does not parse.</summary>
    public static List<string> LeftOut(string? growth, SweepSpec submitted, SweepGrid grid)
    {
        if (Read(growth, submitted) is not { } specs) return [];
        return SweepGrid.Expand(specs[^1], specs[..^1]).Cells.Select(c => c.CellId).Where(id => !grid.CellsById.ContainsKey(id)).ToList();
    }

    private static List<SweepSpec>? Read(string? growth, SweepSpec current)
    {
        if (growth is null) return null;
        try
        {
            var axes = JsonSerializer.Deserialize<List<Axes>>(growth);
            if (axes is not { Count: > 0 } || axes.Any(a => a?.Methods is null || a.Optimizers is null || a.LearningRates is null || a.Seeds is null
                                                          || a.Epochs is < 1 || a.RowRates?.Any(r => r?.Method is null || r.Optimizer is null || r.LearningRates is null) == true))
                return null;
            return axes.Select(a => current with
            {
                Methods = a.Methods, Optimizers = a.Optimizers, LearningRates = a.LearningRates, Seeds = a.Seeds, Epochs = a.Epochs ?? current.Epochs,
                RowRates = a.RowRates,
            }).ToList();
        }
        catch (JsonException) { return null; }
    }
}
