using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>The rules of learning-rate lists, the grid's (<c>learningRates</c>) and each row's own (<c>rowRates</c>): a rate
/// trains in float32, so it must be finite and above 0 there, and two that are one float32 would train one cell twice.</summary>
public static class LearningRateRules
{
    /// <summary>A rate training can step with: finite and above 0 in float32 (the rates a spec and <c>train --lr</c> accept).</summary>
    public static bool Trainable(double lr) => double.IsFinite(lr) && lr > 0 && float.IsFinite((float)lr) && (float)lr > 0;

    /// <summary>Checks <paramref name="rates"/> at <paramref name="path"/>; <paramref name="grid"/>, for a row's own rates,
    /// holds the grid's (by float32, with their first spelling), which they must not repeat. The grid's list may be empty
    /// where every row has its own (<see cref="Rows"/> checks that).</summary>
    internal static void Rates(string path, IReadOnlyList<double> rates, Action<string, bool, string> check, ReportedPaths skipped,
        IReadOnlyDictionary<float, double>? grid = null, bool mayBeEmpty = false)
    {
        var held = grid is null ? new Dictionary<float, double>() : new Dictionary<float, double>(grid);   // by float32: linear time
        check(path, rates.Count > 0 || mayBeEmpty, "empty: give at least one learning rate" + (mayBeEmpty ? "" : ", or every method × optimizer its own in rowRates"));
        for (var i = 0; i < rates.Count; i++)
        {
            var (lr, at) = (rates[i], $"{path}[{i}]");
            check(at, double.IsFinite(lr) && lr > 0, $"must be a finite number > 0 (got {Show(lr)})");
            check(at, !(double.IsFinite(lr) && lr > 0) || Trainable(lr),
                $"is {((float)lr > 0 ? "infinite" : "0")} in float32, which training steps in: give one from {float.Epsilon:R} to {float.MaxValue:R} (got {Show(lr)})");
            if (skipped.Related(at) || held.TryAdd((float)lr, lr)) continue;
            var same = held[(float)lr];
            check(at, false, grid?.ContainsKey((float)lr) == true
                ? $"{Show(lr)} is in learningRates already, which every row trains"
                : $"duplicate value {Show(lr)}" + (!same.Equals(lr) ? $" in float32, which training steps in ({Show(same)} is the same)" : ""));
        }
    }

    /// <summary>Each <c>rowRates</c> entry names a row of the grid, once, and lists rates its row does not train already.</summary>
    internal static void Rows(SweepSpec spec, Action<string, bool, string> check, ReportedPaths skipped)
    {
        var grid = spec.LearningRates.GroupBy(lr => (float)lr).ToDictionary(g => g.Key, g => g.First());
        var rows = new Dictionary<(string, string), int>();
        for (var i = 0; i < spec.RowRatesOrEmpty.Count; i++)
        {
            var (row, path) = (spec.RowRatesOrEmpty[i], $"rowRates[{i}]");
            check($"{path}.method", spec.Methods.Contains(row.Method),
                $"'{SpecYamlNodes.Shorten(row.Method)}' is not one of methods ({string.Join(", ", spec.Methods)}): a row's rates are for a row of the grid{NearestName.Hint(row.Method, spec.Methods)}");
            check($"{path}.optimizer", spec.Optimizers.Contains(row.Optimizer),
                $"'{SpecYamlNodes.Shorten(row.Optimizer)}' is not one of optimizers ({string.Join(", ", spec.Optimizers)}): a row's rates are for a row of the grid{NearestName.Hint(row.Optimizer, spec.Optimizers)}");
            if (!skipped.Related(path) && !rows.TryAdd((row.Method, row.Optimizer), i))
                check(path, false, $"{row.Method} × {row.Optimizer} has rates in rowRates[{rows[(row.Method, row.Optimizer)]}] already: list them there");
            Rates($"{path}.learningRates", row.LearningRates, check, skipped, grid);
        }
        // An empty grid list (a confirmation of each row's own picks): every row trains its own rates, or none at all.
        if (spec.LearningRates.Count > 0 || spec.RowRatesOrEmpty.Count == 0) return;
        var bare = spec.Methods.SelectMany(m => spec.Optimizers.Select(o => (m, o))).Where(r => !rows.ContainsKey(r)).ToList();
        if (bare.Count > 0)
            check("learningRates", false, $"empty, and {bare[0].m} × {bare[0].o}{(bare.Count > 1 ? $" and {bare.Count - 1} more rows" : "")} " +
                                          $"{(bare.Count > 1 ? "have" : "has")} no rowRates: every method × optimizer needs learning rates, the grid's or its own");
    }

    private static string Show(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
