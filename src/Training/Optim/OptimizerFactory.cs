using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

public static class OptimizerFactory
{
    /// <summary>One optimizer for a pack; every cell must use the same kind.</summary>
    public static IPackOptimizer Create(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device) =>
        Create(cells, shape, device, CellColumns.WholePackByDefault(device));

    /// <param name="wholePack">Update all cells at once with hyperparameter columns (<see cref="CellColumns"/>), the
    /// default off the CPU; tests choose it on the CPU.</param>
    internal static IPackOptimizer Create(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device, bool wholePack)
    {
        if (cells.Count == 0) throw new ArgumentException("a pack needs at least one cell");
        if (cells.Any(c => c.Schedule is not null)) return new ScheduledOptimizer(cells, scaled => Unscheduled(scaled, shape, device, wholePack));
        return Unscheduled(cells, shape, device, wholePack);
    }

    private static IPackOptimizer Unscheduled(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device, bool wholePack) =>
        cells[0].Kind switch
        {
            OptimizerKind.Sgd => new Sgd(cells, shape, device, wholePack),
            OptimizerKind.AdamW => new AdamW(cells, shape, device, wholePack),
            OptimizerKind.StableAdamW => new StableAdamW(cells, shape, device, wholePack),
            _ => throw new ArgumentOutOfRangeException(nameof(cells), cells[0].Kind, null),
        };

    /// <summary>State tensors of a kind's <see cref="IPackOptimizer.State"/>, each one float per parameter per cell
    /// (for sizing checkpoints without building an optimizer).</summary>
    public static int StateTensors(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => 1,                                  // momentum buffer
        OptimizerKind.AdamW or OptimizerKind.StableAdamW => 2,   // first and second moments
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
