using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Model;

/// <summary>A pack's initial weights: per cell, nn.Linear's default U(−1/√fan_in, 1/√fan_in) drawn layer by layer (W, then
/// b) from the cell's own seeded generator, so a cell starts alike alone, in any pack and from any build that resumes it.</summary>
public sealed class WeightInitTests
{
    private static readonly MlpShape Shape = new(Inputs: 5, Width: 4, Depth: 2, Classes: 3);

    [Fact]
    public void Pack_HoldsEachCellsDraws_InLayerOrder_AndCellsSharingASeedStartAlike()
    {
        using var scope = NewDisposeScope();
        long[] seeds = [3, 8, 3];
        var pack = WeightInit.Pack(Shape, seeds, CPU);

        Assert.Equal([seeds.Length, Shape.ParameterCount], pack.shape);
        for (int p = 0; p < seeds.Length; p++)
            Assert.True(Tensors.Same(Reference(seeds[p]), pack[p]), $"cell {p} (seed {seeds[p]}) starts from other weights");
        Assert.False(Tensors.Same(pack[0], pack[1]), "cells with other seeds start alike");
    }

    /// <summary>The draws written out independently: every layer's W and b from one generator, scaled to the bound.</summary>
    private static Tensor Reference(long seed)
    {
        using var gen = new Generator(SeedMix.Derive(seed, SeedMix.InitStream), CPU);
        using var s = new HeldScalars();
        var parts = new List<Tensor>();
        for (int i = 0; i < Shape.Layers; i++)
        {
            double bound = 1.0 / Math.Sqrt(Shape.InSize(i));
            parts.Add(rand([(long)Shape.OutSize(i) * Shape.InSize(i)], generator: gen).mul_(s[2 * bound]).sub_(s[bound]));
            parts.Add(rand([Shape.OutSize(i)], generator: gen).mul_(s[2 * bound]).sub_(s[bound]));
        }
        return cat(parts, 0);
    }
}
