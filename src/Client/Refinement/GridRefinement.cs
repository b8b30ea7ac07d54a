using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Refinement;

/// <summary>Where a sweep's learning-rate grid is too coarse or too narrow for its picks, from its results rows: a pick at
/// the grid's edge gets the next rate past it (the grid's own step there); a pick gets the geometric middle toward each
/// neighbour more than <c>resolution</c> times away; a row whose every rate diverged gets one below the grid. The study's
/// decade grid refines as 1e-3 → 3e-3 → 2e-3 and 1.4e-3 and stops once neighbours are within the resolution.</summary>
internal static class GridRefinement
{
    /// <summary>Intervals no wider than a factor of 2 are left alone unless asked: a pick's accuracy seldom moves much within one.</summary>
    public const double DefaultResolution = 2;

    /// <summary>The step past a grid of one rate: a decade each way.</summary>
    private const double SingleRateStep = 10;

    public static IReadOnlyList<RowProposal> Propose(IReadOnlyList<double> grid, IEnumerable<ResultRow> rows, double resolution, bool edgesOnly)
    {
        var sorted = grid.Distinct().Order().ToArray();
        return [.. rows.Select(row => Propose(sorted, row, resolution, edgesOnly))];
    }

    /// <summary>The learning rates the proposals add, each once, ascending, none the grid holds already (as float32).</summary>
    public static IReadOnlyList<double> Added(IReadOnlyList<double> grid, IEnumerable<RowProposal> rows) =>
        [.. Asked(grid, rows).Select(a => a.Rate).Order()];

    /// <summary>At most <paramref name="most"/> of the rates <see cref="Added"/> gives, those the most rows ask for (of a
    /// tie, the smaller rate: the cheaper to train, and less likely to diverge), ascending; the rest are left out. Each rate
    /// costs a cell in every row, so this is what bounds a refinement's cost.</summary>
    public static (IReadOnlyList<double> Added, IReadOnlyList<(double Rate, int Rows)> LeftOut) Limit(
        IReadOnlyList<double> grid, IEnumerable<RowProposal> rows, int most)
    {
        var ranked = Asked(grid, rows).OrderByDescending(a => a.Rows).ThenBy(a => a.Rate).ToList();
        return ([.. ranked.Take(most).Select(a => a.Rate).Order()], [.. ranked.Skip(most).OrderBy(a => a.Rate)]);
    }

    /// <summary>Each rate proposed and not held by the grid (as float32), with how many rows ask for it.</summary>
    private static List<(double Rate, int Rows)> Asked(IReadOnlyList<double> grid, IEnumerable<RowProposal> rows)
    {
        var held = grid.Select(lr => (float)lr).ToHashSet();
        return [.. rows.SelectMany(r => r.Rates.Select(p => p.LearningRate).Distinct())
            .Where(lr => !held.Contains((float)lr))
            .GroupBy(lr => (float)lr)
            .Select(g => (g.First(), g.Count()))];
    }

    private static RowProposal Propose(double[] sorted, ResultRow row, double resolution, bool edgesOnly)
    {
        var rates = row.Rates ?? [];
        if (rates.Any(r => r.Outcome == RateOutcome.Pending))
            return None(row, $"waiting: {rates.Count(r => r.Outcome == RateOutcome.Pending)} learning rate(s) still training");
        // A rate that did not compete may be the best one: the pick is not one to refine around yet.
        if (rates.Count(r => r.Outcome == RateOutcome.Failed) is > 0 and var failed)
            return None(row, $"waiting: {failed} learning rate(s) failed or cancelled (resume the sweep to retry them)");
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
        if (!edgesOnly)
            foreach (var neighbour in new[] { i > 0 ? sorted[i - 1] : (double?)null, i < sorted.Length - 1 ? sorted[i + 1] : null })
                if (neighbour is { } n && Math.Max(n / best, best / n) > resolution && RoundRate.Between(best, n) is { } middle)
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
