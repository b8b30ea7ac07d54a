using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Refinement;

/// <summary>Where a sweep's learning rates are too coarse or too narrow for its picks, row by row, from its results rows: a pick at
/// the grid's edge gets the next rate past it (the grid's own step there); a pick gets the geometric middle toward each
/// neighbour more than <c>resolution</c> times away; a row whose every rate diverged gets one below the grid. The study's
/// decade grid refines as 1e-3 → 3e-3 → 2e-3 and 1.4e-3 and stops once neighbours are within the resolution.</summary>
internal static class GridRefinement
{
    /// <summary>Intervals no wider than a factor of 2 are left alone unless asked: a pick's accuracy seldom moves much within one.</summary>
    public const double DefaultResolution = 2;

    /// <summary>The step past a grid of one rate: a decade each way.</summary>
    private const double SingleRateStep = 10;

    /// <summary>A proposal per results row, each judged against its row's own rates (the grid's and its <c>rowRates</c>).</summary>
    public static IReadOnlyList<RowProposal> Propose(SweepSpec spec, IEnumerable<ResultRow> rows, double resolution, bool edgesOnly) =>
        [.. rows.Select(row => Propose(spec.RatesFor(row.Method, row.Optimizer).Distinct().Order().ToArray(), row, resolution, edgesOnly))];

    /// <summary>The spec with each row's proposed rates added to that row's <c>rowRates</c> (ascending, after those it
    /// holds), none the row trains already (as float32): a rate costs a cell in its own row only. A rate every row then
    /// holds moves to <c>learningRates</c> (the same cells, said once). With
    /// <paramref name="mostPerRow"/>, a row adds at most that many, in the order its proposal lists them (past the edge
    /// first, then toward the better neighbour); the rest are left out.</summary>
    public static RefinedSpec Apply(SweepSpec spec, IEnumerable<RowProposal> rows, int? mostPerRow = null)
    {
        var entries = spec.RowRatesOrEmpty.Select(r => (r.Method, r.Optimizer, Rates: r.LearningRates.ToList())).ToList();
        var (added, leftOut) = (new List<RowLearningRates>(), new List<RowLearningRates>());
        foreach (var row in rows)
        {
            var held = spec.RatesFor(row.Method, row.Optimizer).Select(lr => (float)lr).ToHashSet();
            var fresh = row.Rates.Select(p => p.LearningRate).Where(lr => held.Add((float)lr)).ToList();
            if (fresh.Count == 0) continue;
            var taken = fresh.Take(mostPerRow ?? int.MaxValue).Order().ToList();
            if (taken.Count < fresh.Count) leftOut.Add(new RowLearningRates(row.Method, row.Optimizer, [.. fresh.Skip(taken.Count)]));
            added.Add(new RowLearningRates(row.Method, row.Optimizer, taken));
            var i = entries.FindIndex(e => e.Method == row.Method && e.Optimizer == row.Optimizer);
            if (i < 0) entries.Add((row.Method, row.Optimizer, [.. taken]));
            else entries[i].Rates.AddRange(taken);
        }
        var shared = HeldByEveryRow(spec, entries);
        entries = [.. entries.Select(e => e with { Rates = [.. e.Rates.Where(lr => !shared.ContainsKey((float)lr))] }).Where(e => e.Rates.Count > 0)];
        // Lists, not collection expressions: the spec lands in grain state, whose serializer reads back only known collection types.
        var refined = spec with
        {
            LearningRates = shared.Count == 0 ? spec.LearningRates : Merged(spec.LearningRates, [.. shared.Values]),
            RowRates = entries.Count == 0 ? null : entries.Select(e => new RowLearningRates(e.Method, e.Optimizer, e.Rates)).ToList(),
        };
        return new RefinedSpec(refined, added, leftOut, refined.CellCount - spec.CellCount, [.. refined.LearningRates.Except(spec.LearningRates)]);
    }

    /// <summary>The rates that every row of the grid holds in its own <c>rowRates</c> (by float32, as the first row lists
    /// them): the grid's now, so the refined spec lists them once, in <c>learningRates</c>, where a reader sees the grid.
    /// An extension may move them there: each row trains them as the same cells.</summary>
    private static Dictionary<float, double> HeldByEveryRow(SweepSpec spec, List<(string Method, string Optimizer, List<double> Rates)> entries)
    {
        var rows = spec.Methods.SelectMany(m => spec.Optimizers.Select(o => (m, o))).ToList();
        var own = rows.Select(r => entries.FirstOrDefault(e => (e.Method, e.Optimizer) == r).Rates ?? []).ToList();
        var shared = own[0].Where(lr => own.All(rates => rates.Any(other => (float)other == (float)lr))).ToList();
        return shared.DistinctBy(lr => (float)lr).ToDictionary(lr => (float)lr);
    }

    /// <summary><paramref name="rates"/> with <paramref name="added"/> in the order the list keeps (descending as the study
    /// writes its grid, or ascending); appended where it keeps none. The stored rates keep their order, as an extension asks.</summary>
    private static List<double> Merged(IReadOnlyList<double> rates, IReadOnlyList<double> added)
    {
        bool ascending = rates.Count > 1 && rates.Zip(rates.Skip(1)).All(p => p.First < p.Second);
        bool descending = !ascending && rates.Zip(rates.Skip(1)).All(p => p.First > p.Second);
        if (!ascending && !descending) return [.. rates, .. added.Order()];
        var merged = new List<double>(rates);
        foreach (var lr in added)
        {
            int at = merged.FindIndex(r => ascending ? r > lr : r < lr);
            merged.Insert(at < 0 ? merged.Count : at, lr);
        }
        return merged;
    }

    private static RowProposal Propose(double[] sorted, ResultRow row, double resolution, bool edgesOnly)
    {
        var rates = row.Rates ?? [];
        if (rates.Any(r => r.Outcome == RateOutcome.Pending))
            return None(row, $"waiting: {Units.Count(rates.Count(r => r.Outcome == RateOutcome.Pending), "learning rate")} still training");
        // A rate that did not compete may be the best one: the pick is not one to refine around yet.
        if (rates.Count(r => r.Outcome == RateOutcome.Failed) is > 0 and var failed)
            return None(row, $"waiting: {Units.Count(failed, "learning rate")} failed or cancelled (resume the sweep to retry them)");
        if (row.BestLearningRate is not { } best)
        {
            if (rates.Count > 0 && rates.All(r => r.Outcome == RateOutcome.Diverged))
                return Some(row, Proposal(Past(sorted, sorted[0], top: false), "below the grid"));
            return None(row, row.Note ?? "no pick");
        }
        int i = Array.IndexOf(sorted, best);
        if (i < 0) return None(row, $"its pick {LearningRateText.Of(best)} is not in the grid");   // a stored row from another grid
        var added = new List<RateProposal?>();
        if (i == sorted.Length - 1) added.Add(Proposal(Past(sorted, best, top: true), "past the top edge"));
        if (i == 0) added.Add(Proposal(Past(sorted, best, top: false), "past the bottom edge"));
        // Toward the better-scoring neighbour first (stable, so lower first on a tie): where the optimum more likely lies,
        // and what a cap on rates per row keeps.
        var neighbours = new[] { i > 0 ? sorted[i - 1] : (double?)null, i < sorted.Length - 1 ? sorted[i + 1] : null }
            .OfType<double>().OrderByDescending(n => rates.FirstOrDefault(r => r.LearningRate == n)?.Score ?? double.NegativeInfinity);
        if (!edgesOnly)
            foreach (var n in neighbours)
                if (Math.Max(n / best, best / n) > resolution && RoundRate.Between(best, n) is { } middle)
                    added.Add(new RateProposal(middle, $"toward {LearningRateText.Of(n)}{(Diverged(rates, n) ? ", which diverged" : "")}"));
        var found = added.OfType<RateProposal>().ToList();
        if (found.Count > 0) return Some(row, [.. found]);
        return None(row, edgesOnly ? "inside the grid" : $"inside the grid, its neighbours within {resolution:G4}×");
    }

    private static bool Diverged(IReadOnlyList<RateScore> rates, double lr) =>
        rates.Any(r => r.LearningRate == lr && r.Outcome == RateOutcome.Diverged);

    /// <summary>The rate one grid step above (<paramref name="top"/>) or below <paramref name="from"/>, the step being the
    /// grid's ratio at that end (between its two largest or two smallest rates), rounded; null past float32's range.</summary>
    private static double? Past(double[] sorted, double from, bool top)
    {
        var step = sorted.Length < 2 ? SingleRateStep : top ? sorted[^1] / sorted[^2] : sorted[1] / sorted[0];
        return RoundRate.Beyond(from, top ? step : 1 / step);
    }

    /// <summary>The rate one grid step past <paramref name="best"/> where it is the grid's largest or smallest (the top
    /// where it is both); null inside the grid, or past float32's range. The results footnote names it too.</summary>
    public static double? PastEdge(IReadOnlyList<double> grid, double best)
    {
        var sorted = grid.Distinct().Order().ToArray();
        return best == sorted[^1] ? Past(sorted, best, top: true) : best == sorted[0] ? Past(sorted, best, top: false) : null;
    }

    private static RateProposal? Proposal(double? lr, string where) => lr is { } rate ? new RateProposal(rate, where) : null;

    private static RowProposal Some(ResultRow row, params RateProposal?[] rates) =>
        rates.OfType<RateProposal>().ToList() is { Count: > 0 } found
            ? new RowProposal(row.Method, row.Optimizer, row.BestLearningRate, found, null)
            : None(row, "the next rate past the grid is outside float32's range");

    private static RowProposal None(ResultRow row, string why) => new(row.Method, row.Optimizer, row.BestLearningRate, [], why);
}
