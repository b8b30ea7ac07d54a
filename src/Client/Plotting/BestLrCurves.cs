using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Plotting;

/// <summary>For <c>plot A --against B</c>: of a sweep's curves, the one of each method × optimizer's best learning rate
/// (by its results table), tagged with the sweep's name. A pair with no best learning rate yet has no curve.</summary>
public static class BestLrCurves
{
    public static IEnumerable<PlotCurve> Of(string sweep, IReadOnlyList<PlotCurve> curves, SweepResults results)
    {
        var best = results.Rows.Where(r => r.BestLearningRate is not null)
            .ToDictionary(r => (r.Method, r.Optimizer), r => r.BestLearningRate!.Value);
        return curves.Where(c => best.TryGetValue((c.Method, c.Optimizer), out var lr) && lr == c.Lr)
            .Select(c => c with { Sweep = sweep });
    }

    /// <summary>Why <see cref="Of"/> gave no curve for <paramref name="results"/>: where some row has a best learning rate,
    /// its curves (unreadable, or no epoch evaluated for every seed); else the rows' reason where they share one ("all
    /// learning rates diverged", "no learning rate has finished yet"), else a pointer to the per-row reasons.</summary>
    public static string WhyNone(SweepResults results)
    {
        if (results.Rows.Any(r => r.BestLearningRate is not null))
            return "its best learning rates' curves have no point to plot: unreadable, or no epoch evaluated for every seed";
        var reasons = results.Rows.Select(r => r.Note ?? "no learning rate completed").Distinct().ToList();
        return reasons.Count == 1 ? reasons[0] : "no method × optimizer has a completed learning rate; `results` says why for each";
    }
}
