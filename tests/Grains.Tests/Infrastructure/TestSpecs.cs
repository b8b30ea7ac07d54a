using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>Sweep specs for tests.</summary>
public static class TestSpecs
{
    /// <summary>2 methods × 3 optimizers × 2 learning rates = 12 cells on the synthetic set.</summary>
    public static SweepSpec Twelve(string name, int epochs = 5, int checkpointEvery = 2) => new(
        name, new DataSpec("synthetic"), new ModelSpec(1, 16), ["backprop", "wt"], ["sgd", "adamw", "stable-adamw"],
        [1e-2, 1e-3], [0], epochs, BatchSize: 256, CheckpointEvery: checkpointEvery);

    public static SweepSpec Small(string name, IReadOnlyList<double> learningRates, int epochs = 3, PackingMode packing = PackingMode.None,
        IReadOnlyList<int>? seeds = null) => new(
        name, new DataSpec("synthetic"), new ModelSpec(1, 16), ["backprop"], ["sgd"], learningRates, seeds ?? [0], epochs,
        BatchSize: 256, CheckpointEvery: 2, Packing: packing);
}
