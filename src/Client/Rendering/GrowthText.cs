using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>How a sweep grew with <c>--extend</c>, from the specs it had (<see cref="Cluster.StoredSweep"/>): status and
/// the report say it, since a grown sweep's curves were trained in more than one run, and a fresh run of its spec packs
/// (and, where its epochs were raised, names) its cells otherwise.</summary>
internal static class GrowthText
{
    /// <summary>One extension: what it added to each axis, and the epochs before and after it where it raised them.</summary>
    public sealed record GrowthStep(IReadOnlyList<string> Methods, IReadOnlyList<string> Optimizers, IReadOnlyList<double> LearningRates,
        IReadOnlyList<int> Seeds, int? EpochsBefore, int? EpochsAfter, IReadOnlyList<RowLearningRates> RowRates);

    /// <summary>"learningRates +1e-1, then epochs 100 -> 300"; null for a sweep never grown.</summary>
    public static string? Of(IReadOnlyList<SweepSpec>? earlier, SweepSpec current)
    {
        if (earlier is not { Count: > 0 }) return null;
        var specs = earlier.Append(current).ToList();
        var steps = specs.Zip(specs.Skip(1), Step).Where(s => s.Length > 0).ToList();
        return steps.Count == 0 ? null : string.Join(", then ", steps);
    }

    /// <summary>Each extension as data (<c>status --json</c>'s <c>growth</c>): the values it added per axis, and the epochs
    /// it raised; empty for a sweep never grown.</summary>
    public static IReadOnlyList<GrowthStep> Steps(IReadOnlyList<SweepSpec>? earlier, SweepSpec current)
    {
        if (earlier is not { Count: > 0 }) return [];
        var specs = earlier.Append(current).ToList();
        return [.. specs.Zip(specs.Skip(1), (a, b) => new GrowthStep(
            [.. b.Methods.Except(a.Methods)], [.. b.Optimizers.Except(a.Optimizers)], [.. b.LearningRates.Except(a.LearningRates)],
            [.. b.Seeds.Except(a.Seeds)], a.Epochs != b.Epochs ? a.Epochs : null, a.Epochs != b.Epochs ? b.Epochs : null, AddedRowRates(a, b)))];
    }

    /// <summary>The rates each row of <paramref name="after"/>'s <c>rowRates</c> holds that the same row of <paramref name="before"/>'s did not.</summary>
    private static List<RowLearningRates> AddedRowRates(SweepSpec before, SweepSpec after) =>
        [.. after.RowRatesOrEmpty
            .Select(r => r with { LearningRates = [.. r.LearningRates.Except(before.RowRatesOrEmpty
                .Where(b => b.Method == r.Method && b.Optimizer == r.Optimizer).SelectMany(b => b.LearningRates))] })
            .Where(r => r.LearningRates.Count > 0)];

    /// <summary>The epochs the sweep's cells were created with, where an extension has raised them since (their ids hash
    /// those); null otherwise.</summary>
    public static int? RaisedFrom(IReadOnlyList<SweepSpec>? earlier, SweepSpec current) =>
        earlier is { Count: > 0 } && earlier[0].Epochs != current.Epochs ? earlier[0].Epochs : null;

    /// <summary>The most rows whose own rates (rowRates) a line names one by one; more are counted (the report too).</summary>
    public const int MaxRowsNamed = 3;

    private static string Step(SweepSpec before, SweepSpec after)
    {
        var parts = new List<string>();
        void Added<T>(string axis, IReadOnlyList<T> a, IReadOnlyList<T> b, Func<T, string> text)
        {
            var added = b.Except(a).ToList();
            if (added.Count > 0) parts.Add($"{axis} +{string.Join(", +", added.Select(text))}");
        }
        Added("methods", before.Methods, after.Methods, m => m);
        Added("optimizers", before.Optimizers, after.Optimizers, o => o);
        Added("learningRates", before.LearningRates, after.LearningRates, ResultsTable.Lr);
        Added("seeds", before.Seeds, after.Seeds, s => s.ToString(CultureInfo.InvariantCulture));
        // Named row by row while that stays short; a refine round adds to every row, and status --json lists them all.
        var rows = AddedRowRates(before, after);
        if (rows.Count <= MaxRowsNamed)
            parts.AddRange(rows.Select(row => $"rowRates {row.Method} × {row.Optimizer} +{string.Join(", +", row.LearningRates.Select(ResultsTable.Lr))}"));
        else parts.Add($"rowRates +{rows.Sum(r => r.LearningRates.Count)} rates in {rows.Count} rows");
        if (after.Epochs != before.Epochs) parts.Add($"epochs {before.Epochs} -> {after.Epochs}");
        return string.Join(", ", parts);
    }
}
