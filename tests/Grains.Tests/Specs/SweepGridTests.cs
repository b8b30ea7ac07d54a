using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

public sealed class SweepGridTests
{
    [Fact]
    public void Expand_SameSpec_GivesSameIdsInGridOrder()
    {
        var a = SweepGrid.Expand(TestSpecs.Twelve("g"));
        var b = SweepGrid.Expand(TestSpecs.Twelve("g"));

        Assert.Equal(a.Cells.Select(c => c.CellId), b.Cells.Select(c => c.CellId));
        Assert.Equal(12, a.Cells.Select(c => c.CellId).Distinct().Count());
        Assert.Equal(("backprop", "sgd", 1e-2), (a.Cells[0].Config.Method, a.Cells[0].Config.Optimizer, a.Cells[0].Config.LearningRate));
        Assert.Equal(1e-3, a.Cells[1].Config.LearningRate);
    }

    [Fact]
    public void Expand_CellIds_DependOnTrainingSettingsNotOnGridHandling()
    {
        var spec = TestSpecs.Twelve("g");
        var ids = SweepGrid.Expand(spec).Cells.Select(c => c.CellId).ToHashSet();

        Assert.Equal(ids, SweepGrid.Expand(spec with { Name = "other", CheckpointEvery = 7, MaxCells = 50 }).Cells.Select(c => c.CellId).ToHashSet());
        Assert.Empty(ids.Intersect(SweepGrid.Expand(spec with { Epochs = 6 }).Cells.Select(c => c.CellId)));
        Assert.Empty(ids.Intersect(SweepGrid.Expand(spec with { Model = new ModelSpec(1, 32) }).Cells.Select(c => c.CellId)));
        Assert.Empty(ids.Intersect(SweepGrid.Expand(spec with { Optimizer = new OptimizerSpec(OutputLrScale: 0.4) }).Cells.Select(c => c.CellId)));
        Assert.Empty(ids.Intersect(SweepGrid.Expand(spec with { Model = spec.Model with { InitScale = 0.1 } }).Cells.Select(c => c.CellId)));
    }

    /// <summary>A stored sweep finds its cells' data by their ids: a new spec field, unset, must leave them as they were
    /// (these were computed before <c>optimizer.outputLrScale</c> and <c>model.initScale</c> existed).</summary>
    [Fact]
    public void Expand_CellIds_OfASpecWithoutNewerFields_StayAsStored()
    {
        var spec = new SweepSpec("stable", new DataSpec("fashion-mnist"), new ModelSpec(3, 128), ["wt"], ["adamw"], [1e-3], [0], 100);
        Assert.Equal("7a556960ab6d5730", Assert.Single(SweepGrid.Expand(spec).Cells).CellId);
    }

    [Fact]
    public void Expand_PackingLr_PutsLearningRatesOfOneSeedInOnePack()
    {
        var spec = TestSpecs.Small("p", [0.1, 0.01, 0.001], packing: PackingMode.Lr, seeds: [0, 1]);

        var grid = SweepGrid.Expand(spec);

        Assert.Equal(6, grid.Cells.Count);
        Assert.Equal(2, grid.Packs.Count);
        Assert.All(grid.Packs, p => Assert.Equal(3, p.Cells.Select(c => c.Config.LearningRate).Distinct().Count()));
        Assert.All(grid.Packs, p => Assert.Single(p.Cells.Select(c => c.Config.Seed).Distinct()));
        Assert.Equal(6, SweepGrid.Expand(spec with { Packing = PackingMode.None }).Packs.Count);
    }
}
