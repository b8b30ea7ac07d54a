using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>Fills a ledger entry's summary from a cell's full curve when it ends.</summary>
public static class CellSummaries
{
    public static void Summarise(CellEntry entry, IReadOnlyList<EpochRecord> curve)
    {
        var evaluated = curve.Where(r => r.TrainAccuracy is not null && !r.Diverged).ToList();
        entry.LastEpoch = curve.Count > 0 ? curve[^1].Epoch : entry.LastEpoch;
        entry.FinalTrainAccuracy = evaluated.LastOrDefault()?.TrainAccuracy;
        entry.FinalTestAccuracy = evaluated.LastOrDefault()?.TestAccuracy;
        entry.BestTrainAccuracy = evaluated.Max(r => r.TrainAccuracy);
        entry.BestTestAccuracy = evaluated.Max(r => r.TestAccuracy);
        entry.FinalTrainLoss = curve.Count > 0 ? curve[^1].TrainLoss : null;
    }
}
