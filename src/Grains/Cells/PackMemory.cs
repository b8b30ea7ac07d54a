using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Cells;

/// <summary>The least memory a pack holds while it trains, from its work alone (nothing loaded): what
/// <see cref="Placement.CpuPackMemory"/> admits a CPU pack by.</summary>
internal static class PackMemory
{
    public static long TrainingBytes(PackWork work)
    {
        // Only the features and classes count here: the real sets' published sizes, or the synthetic set's parameters.
        var shape = DataShape.Published(work.Spec.Data.Set) ?? DatasetLoader.Check(DataSetCheck.ToSource(work.Spec.Data));
        return new PackWorkload(PackSpecBuilder.Build(work), shape).TrainingStateBytes(work.Spec.CheckpointEvery);
    }

    /// <summary>What <see cref="TrainingBytes"/> counts, for a refusal.</summary>
    public static string Describe(PackWork work) => "weights, gradient and optimizer state" +
        (PackWorkload.HoldsRollbackCopy(work.Spec.CheckpointEvery) ? ", and their copy for a stop mid-epoch to roll back to" : "");
}
