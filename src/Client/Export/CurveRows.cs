using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Export;

/// <summary>Flattens a sweep's curves into long-format rows, in grid order then epoch order.</summary>
public static class CurveRows
{
    /// <summary>Evaluated epochs only, plus a diverged cell's last epoch (its result, whether evaluated or not); with
    /// <paramref name="everyEpoch"/>, every stored epoch: those between evaluations carry their loss and cosine, and no
    /// accuracies.</summary>
    public static IReadOnlyList<CurveRow> From(string sweep, IEnumerable<CellCurve> curves, bool everyEpoch = false) =>
        curves.SelectMany(c => c.Records
                .Where(r => everyEpoch || r.TrainAccuracy is not null || r.TestAccuracy is not null || r.Diverged)
                .Select(r => Row(sweep, c, r)))
            .ToList();

    private static CurveRow Row(string sweep, CellCurve c, EpochRecord r)
    {
        // A diverged epoch's accuracy and rank would be those of NaN weights: the trainer no longer records them, but
        // curves stored before it stopped still hold them.
        bool measured = !r.Diverged;
        return new CurveRow(sweep, c.CellId, c.Config.Method, c.Config.Optimizer, c.Config.LearningRate, c.Config.Seed, r.Epoch,
            measured ? r.TrainAccuracy : null, measured ? r.TestAccuracy : null, r.TrainLoss, r.CosineSimilarity, r.Seconds,
            c.State.Name(), measured ? r.EffectiveRank : null, r.LayerCosine, r.GradientProjection, r.UpdateNormRatio, r.StepCosine,
            r.LayerStepCosine, r.LayerGradientShare, r.LayerUpdateShare, r.LayerStepShare);
    }
}
