using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// A sweep's ledger as it stood once its cells had trained to one epoch, rebuilt from their curves: what
/// <c>results --at N</c> ranks, as if the spec had said N epochs. A cell whose curve reaches N counts as completed there,
/// summarised from its records up to N (a divergence, failure or cancellation after N does not reach back); one that
/// diverged at or before N is diverged; one whose curve stops short of N keeps its state (queued, running, failed or
/// cancelled), so its learning rate does not compete. With a selection window, the final accuracies and loss are the
/// means over the window's evaluations ending there, and the best accuracies the best means of that many consecutive
/// evaluations up to there.
/// </summary>
public static class LedgerAtEpoch
{
    /// <summary>One cell's entry as of <paramref name="epoch"/>, from its readable curve; its final values averaged over
    /// the last <paramref name="window"/> evaluations up to there (fewer where the curve holds fewer), its best ones the
    /// best means of that many consecutive evaluations.</summary>
    public static CellEntry Entry(CellCurve curve, int epoch, int window = 1)
    {
        var upTo = curve.Records.TakeWhile(r => r.Epoch <= epoch).ToList();
        var reached = curve.Records.Count > 0 && curve.Records[^1].Epoch >= epoch;
        var entry = new CellEntry { State = upTo.Any(r => r.Diverged) ? CellState.Diverged : reached ? CellState.Completed : curve.State };
        CellSummaries.Summarise(entry, upTo);
        if (window > 1)
        {
            var scored = upTo.Where(r => r.IsScored()).ToList();
            Average(entry, scored.TakeLast(window).ToList());
            BestWindows(entry, scored, window);
        }
        return entry;
    }

    /// <summary>The best mean of <paramref name="window"/> consecutive evaluations by each accuracy (the earliest of ties),
    /// with the other accuracy's mean over the same evaluations: 'best' over a window, which one lucky evaluation cannot
    /// win. A curve with fewer evaluations is one window of them all.</summary>
    private static void BestWindows(CellEntry entry, List<EpochRecord> scored, int window)
    {
        if (scored.Count == 0) return;
        var n = Math.Min(window, scored.Count);
        bool tested = scored.All(r => r.TestAccuracy is not null);
        // Running sums: one pass, however long the curve and the window (each up to a million evaluations).
        double train = 0, test = 0;
        (double Train, double? Test)? byTrain = null, byTest = null;
        for (int i = 0; i < scored.Count; i++)
        {
            train += scored[i].TrainAccuracy!.Value;
            test += scored[i].TestAccuracy ?? 0;
            if (i >= n)
            {
                train -= scored[i - n].TrainAccuracy!.Value;
                test -= scored[i - n].TestAccuracy ?? 0;
            }
            if (i < n - 1) continue;
            var mean = (Train: train / n, Test: tested ? test / n : (double?)null);
            if (byTrain is null || mean.Train > byTrain.Value.Train) byTrain = mean;          // the earliest of ties
            if (byTest is null || (mean.Test ?? double.NegativeInfinity) > (byTest.Value.Test ?? double.NegativeInfinity)) byTest = mean;
        }
        (entry.BestTrainAccuracy, entry.TestAccuracyAtBestTrain) = (byTrain!.Value.Train, byTrain.Value.Test);
        (entry.BestTestAccuracy, entry.TrainAccuracyAtBestTest) = (byTest!.Value.Test, byTest.Value.Train);
    }

    /// <summary>The loss too is the window's (at its evaluations), so the tie-break between learning rates that score
    /// alike reads the same epochs as their scores.</summary>
    private static void Average(CellEntry entry, List<EpochRecord> window)
    {
        if (window.Count == 0) return;
        entry.FinalTrainAccuracy = window.Average(r => r.TrainAccuracy!.Value);
        entry.FinalTestAccuracy = window.All(r => r.TestAccuracy is not null) ? window.Average(r => r.TestAccuracy!.Value) : null;
        entry.FinalTrainLoss = window.Average(r => r.TrainLoss);
    }
}
