using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;

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

    /// <summary>What the spec's first pack holds on a CPU slot, as a silo counts it (<c>PackMemory</c>).</summary>
    public static long FirstPackBytes(SweepSpec spec) => PackMemory.TrainingBytes(SweepGrid.Expand(spec).Packs[0].ToWork(spec, null));
}
