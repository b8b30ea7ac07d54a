using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>Fills a ledger entry's summary from a cell's full curve when it ends.</summary>
public static class CellSummaries
{
    public static void Summarise(CellEntry entry, IReadOnlyList<EpochRecord> curve)
    {
        var evaluated = curve.Where(r => r.IsScored()).ToList();
        // Never lowered: a curve that reads short (a chunk file moved away) must still be found short by export and plot.
        entry.LastEpoch = Math.Max(entry.LastEpoch, curve.Count > 0 ? curve[^1].Epoch : 0);
        entry.FinalTrainAccuracy = evaluated.LastOrDefault()?.TrainAccuracy;
        entry.FinalTestAccuracy = evaluated.LastOrDefault()?.TestAccuracy;
        // OrderByDescending is stable: of epochs tied on the best value, the earliest.
        var bestTrain = evaluated.OrderByDescending(r => r.TrainAccuracy).FirstOrDefault();
        var bestTest = evaluated.OrderByDescending(r => r.TestAccuracy).FirstOrDefault();
        (entry.BestTrainAccuracy, entry.TestAccuracyAtBestTrain) = (bestTrain?.TrainAccuracy, bestTrain?.TestAccuracy);
        (entry.BestTestAccuracy, entry.TrainAccuracyAtBestTest) = (bestTest?.TestAccuracy, bestTest?.TrainAccuracy);
        entry.FinalTrainLoss = curve.Count > 0 ? curve[^1].TrainLoss : null;
    }
}
