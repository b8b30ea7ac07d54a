using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Cells;

/// <summary>The least memory a pack holds while it trains, from its work alone (nothing loaded): what
/// <see cref="Placement.CpuPackMemory"/> admits a pack by, a CPU pack's whole state, a GPU pack's host memory.</summary>
internal static class PackMemory
{
    public static long TrainingBytes(PackWork work) => Workload(work).TrainingStateBytes(work.Spec.CheckpointEvery);

    /// <summary>What a pack training on a GPU holds in host memory: the copy of weights and optimizer state it rolls back to
    /// after a stop mid-epoch, which <c>PackCheckpoint.Capture</c> takes into CPU tensors (the rest is on the device);
    /// 0 where it keeps none (checkpoints every epoch).</summary>
    public static long GpuHostBytes(PackWork work) => HostBytes(work).Gpu;

    /// <summary>Both figures (<see cref="TrainingBytes"/> on a CPU slot, <see cref="GpuHostBytes"/> on a GPU slot), for
    /// placement and the slot ledger.</summary>
    public static Placement.PackHostBytes HostBytes(PackWork work)
    {
        var workload = Workload(work);
        long state = workload.TrainingStateBytes(work.Spec.CheckpointEvery);
        return new(state, state - workload.TrainingStateBytes(checkpointEvery: 1));
    }

    /// <summary>What <see cref="TrainingBytes"/> counts, for a refusal.</summary>
    public static string Describe(PackWork work) => "weights, gradient and optimizer state" +
        (PackWorkload.HoldsRollbackCopy(work.Spec.CheckpointEvery, work.Spec.Epochs) ? ", and their copy for a stop mid-epoch to roll back to" : "");

    /// <summary>What <see cref="GpuHostBytes"/> counts, for a refusal.</summary>
    public const string DescribeGpuHost = "its copy of weights and optimizer state for a stop mid-epoch to roll back to, in host memory while " +
        "it trains on a GPU";

    internal static PackWorkload Workload(PackWork work)
    {
        // Only the features and classes count here: the real sets' published sizes, or the synthetic set's parameters.
        var shape = DataShape.Published(work.Spec.Data.Set) ?? DatasetLoader.Check(DataSetCheck.ToSource(work.Spec.Data));
        return new PackWorkload(PackSpecBuilder.Build(work), shape);
    }
}
