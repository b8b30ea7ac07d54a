using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Cells;

/// <summary>A cell's stored record of an epoch, as its trainer measured it: the one mapping from the training core's
/// metrics to the contract (the contracts project stays free of TorchSharp, so it cannot hold this).</summary>
internal static class EpochRecordOf
{
    public static EpochRecord Metrics(string cellId, EpochMetrics m) =>
        new(cellId, m.Epoch, m.TrainLoss, m.TrainAccuracy, m.TestAccuracy, m.CosineSimilarity, m.LayerCosine?.ToArray(),
            m.EffectiveRank?.ToArray(), m.Seconds, m.EvalSeconds, m.Samples, m.Diverged, m.GradientProjection, m.UpdateNormRatio,
            m.StepCosine, m.LayerStepCosine?.ToArray(), m.LayerGradientShare?.ToArray(), m.LayerUpdateShare?.ToArray(),
            m.LayerStepShare?.ToArray());
}
