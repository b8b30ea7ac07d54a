using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Training;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// The selection rule (SPEC §6): for each method × optimizer, the learning rate whose completed cells score best on
/// the rule's metric (the spec's, or one asked for when reading results), averaged over seeds. A learning rate competes only once all its seeds completed; a seed that
/// diverged rules its learning rate out; one that failed or was cancelled keeps it out of the comparison, and the
/// row's note says so. Learning rates that score exactly alike (a method stuck at chance scores so at every one) are
/// told apart by their final train loss, not by where the spec lists them, and the note names them. The winner is
/// flagged when it is its row's smallest or largest learning rate (the grid's and the row's own), unless it tied with one inside; with several seeds
/// the row also has the spread of its accuracies over them. The row names the runner-up and the winner's lead over it,
/// which tells a clear choice from a near-tie that another seed or evaluation could turn, and every learning rate's own
/// score (or why it has none), the response the winner tops.
/// </summary>
public static class ResultsSelector
{
    public static IReadOnlyList<ResultRow> Select(SweepSpec spec, SweepGrid grid, IReadOnlyDictionary<string, CellEntry> ledger) =>
        Select(spec, spec.SelectionOrDefault, grid, ledger);

    public static IReadOnlyList<ResultRow> Select(SweepSpec spec, SelectionSpec selection, SweepGrid grid,
        IReadOnlyDictionary<string, CellEntry> ledger)
    {
        var rows = new List<ResultRow>();
        foreach (var method in spec.Methods)
        foreach (var optimizer in spec.Optimizers)
        {
            var cells = grid.Cells.Where(c => c.Config.Method == method && c.Config.Optimizer == optimizer).ToList();
            var finished = cells.Count(c => ledger[c.CellId].State.IsFinal());
            var candidates = new List<(double Lr, double Score, List<CellEntry> Entries)>();
            var rates = new List<RateScore>();
            var rowRates = spec.RatesFor(method, optimizer);   // the row's: the grid's rates and its own
            foreach (var lr in rowRates)
            {
                var entries = cells.Where(c => c.Config.LearningRate == lr).Select(c => ledger[c.CellId]).ToList();
                var rate = Rate(lr, entries, selection);
                rates.Add(rate);
                if (rate is { Outcome: RateOutcome.Scored, Score: { } score }) candidates.Add((lr, score, entries));
            }
            int diverged = rates.Count(r => r.Outcome == RateOutcome.Diverged), failed = rates.Count(r => r.Outcome == RateOutcome.Failed);
            var partly = PartlyDiverged(rates);
            if (candidates.Count == 0)
            {
                // Every reason there is none: a divergence beside cells still running is a result the row must not hide.
                var why = new List<string>
                {
                    diverged == rowRates.Count ? AllDiverged(rowRates) + partly
                    : finished == 0 ? "no learning rate has finished yet"
                    : finished < cells.Count ? "no learning rate has completed yet" : "no learning rate completed",
                };
                if (diverged > 0 && diverged < rowRates.Count) why.Add(Diverged(diverged) + partly);
                if (finished > 0 && finished < cells.Count) why.Add(Unfinished(cells.Count - finished));
                if (failed > 0) why.Add(Failed(failed));
                rows.Add(new ResultRow(method, optimizer, null, null, null, false, finished, cells.Count, string.Join("; ", why),
                    Rates: rates));
                continue;
            }
            var top = candidates.Max(c => c.Score);
            var tied = candidates.Where(c => c.Score == top).ToList();
            double Loss((double Lr, double Score, List<CellEntry> Entries) c) => Mean(c.Entries, e => e.FinalTrainLoss) ?? double.PositiveInfinity;
            var best = tied.OrderBy(Loss).ThenBy(c => c.Lr).First();
            var runnerUp = candidates.Where(c => c.Lr != best.Lr).OrderByDescending(c => c.Score).ThenBy(Loss).ThenBy(c => c.Lr)
                .Select(c => ((double Lr, double Score)?)(c.Lr, c.Score)).FirstOrDefault();
            var won = best.Entries;
            var (train, test) = Reported(selection);
            bool AtEdge(double lr) => lr == rowRates.Min() || lr == rowRates.Max();
            var edge = rowRates.Count > 1 && tied.All(c => AtEdge(c.Lr));
            var notes = new List<string>();
            if (tied.Count > 1)
                notes.Add($"tied with lr {string.Join(", ", tied.Where(c => c.Lr != best.Lr).Select(c => LearningRateText.Of(c.Lr)))}; " +
                          (tied.Count(c => Loss(c) == Loss(best)) == 1 ? "the lowest final train loss chose" : "the smallest learning rate chose"));
            if (finished < cells.Count) notes.Add(Unfinished(cells.Count - finished));
            if (diverged > 0) notes.Add(Diverged(diverged) + partly);
            if (failed > 0) notes.Add(Failed(failed));
            rows.Add(new ResultRow(method, optimizer, best.Lr, Mean(won, train), Mean(won, test), edge, finished, cells.Count,
                notes.Count > 0 ? string.Join("; ", notes) : null, Std(won, train), Std(won, test),
                runnerUp?.Lr, best.Score - runnerUp?.Score, rates));
        }
        return rows;
    }

    /// <summary>The train and test accuracy a row reports under <paramref name="selection"/>. Under 'best', both come from
    /// the epoch that maximised the selection metric: the other metric's own best would pick an epoch by it (with test
    /// accuracy, by the test set).</summary>
    private static (Func<CellEntry, double?> Train, Func<CellEntry, double?> Test) Reported(SelectionSpec selection) =>
        (selection.At, selection.Metric) switch
        {
            (SelectionPoint.Final or SelectionPoint.Epoch, _) => (e => e.FinalTrainAccuracy, e => e.FinalTestAccuracy),
            (_, SelectionMetric.TrainAccuracy) => (e => e.BestTrainAccuracy, e => e.TestAccuracyAtBestTrain),
            _ => (e => e.TrainAccuracyAtBestTest, e => e.BestTestAccuracy),
        };

    /// <summary>One learning rate's entry in the row: a divergence first (it rules the rate out whatever the other seeds
    /// do), then a failure, then seeds still to come; a score only once every seed completed, as the ranking takes it.</summary>
    private static RateScore Rate(double lr, List<CellEntry> entries, SelectionSpec selection)
    {
        int diverged = entries.Count(e => e.State == CellState.Diverged);
        if (diverged > 0) return new RateScore(lr, RateOutcome.Diverged, DivergedSeeds: diverged, Seeds: entries.Count);
        if (entries.Any(e => e.State is CellState.Failed or CellState.Cancelled)) return new RateScore(lr, RateOutcome.Failed, Seeds: entries.Count);
        if (entries.Count == 0 || entries.Any(e => e.State != CellState.Completed)) return new RateScore(lr, RateOutcome.Pending, Seeds: entries.Count);
        Func<CellEntry, double?> score = e => Score(e, selection);
        return new RateScore(lr, RateOutcome.Scored, Mean(entries, score), Std(entries, score), Seeds: entries.Count);
    }

    /// <summary>A failed or cancelled cell is no result (unlike a diverged one): its learning rate did not compete.</summary>
    private static string Failed(int lrs) => $"{Units.Count(lrs, "learning rate")} failed or cancelled, not compared (resuming the sweep retries them)";

    private static string Diverged(int lrs) => Units.Count(lrs, "learning rate") + " diverged";

    /// <summary>"all learning rates diverged", or for a row of one (as confirm writes them) "its only learning rate, 1e+3,
    /// diverged": "all" of one read as if a grid had been tried.</summary>
    private static string AllDiverged(IReadOnlyList<double> rates) =>
        rates.Count == 1 ? $"its only learning rate, {LearningRateText.Of(rates[0])}, diverged" : "all learning rates diverged";

    /// <summary>
    /// The rates that diverged on some of their seeds but not all, for the note: " (3e-2 on 1 of its 2 seeds; a seed's
    /// divergence rules its rate out)", or "" where every diverged rate diverged on every seed. Without it "all learning
    /// rates diverged" hides the seeds whose curves completed.
    /// </summary>
    private static string PartlyDiverged(List<RateScore> rates)
    {
        var partly = rates.Where(r => r.PartlyDiverged)
            .Select(r => $"{LearningRateText.Of(r.LearningRate)} on {r.DivergedSeeds} of its {r.Seeds} seeds").ToList();
        return partly.Count == 0 ? "" : $" ({string.Join(", ", partly)}; a seed's divergence rules its rate out)";
    }

    private static string Unfinished(int cells) => Units.Count(cells, "cell") + " still running or queued";

    /// <summary>Under <see cref="SelectionPoint.Epoch"/> the ledger given is already as of that epoch
    /// (<see cref="LedgerAtEpoch"/>), so its final accuracies are the ones read there.</summary>
    private static double? Score(CellEntry e, SelectionSpec selection) => (selection.Metric, selection.At) switch
    {
        (SelectionMetric.TrainAccuracy, SelectionPoint.Best) => e.BestTrainAccuracy,
        (SelectionMetric.TrainAccuracy, _) => e.FinalTrainAccuracy,
        (SelectionMetric.TestAccuracy, SelectionPoint.Best) => e.BestTestAccuracy,
        _ => e.FinalTestAccuracy,
    };

    private static double? Mean(List<CellEntry> entries, Func<CellEntry, double?> value) =>
        entries.All(e => value(e) is not null) ? entries.Average(e => value(e)!.Value) : null;

    /// <summary>Spread over the seeds; null with one seed or a missing value.</summary>
    private static double? Std(List<CellEntry> entries, Func<CellEntry, double?> value) =>
        entries.All(e => value(e) is not null) ? SeedStatistics.SampleStandardDeviation(entries.Select(e => value(e)!.Value).ToList()) : null;
}
