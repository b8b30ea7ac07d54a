using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>Which changed specs extend a sweep, and how an extended grid packs its cells.</summary>
public sealed class SpecExtensionTests
{
    private static readonly SweepSpec Stored = TestSpecs.Small("ext", [0.1, 0.01], packing: PackingMode.Lr);

    [Fact]
    public void ValuesAddedToEveryAxis_AndALargerMaxCells_Extend()
    {
        var submitted = Stored with
        {
            Methods = ["backprop", "wt"], Optimizers = ["sgd", "adamw"], LearningRates = [0.1, 0.01, 1.0], Seeds = [0, 1], MaxCells = 20000,
        };

        Assert.Empty(SpecExtension.Obstacles(Stored, submitted));
        Assert.True(SpecExtension.Extends(Stored, submitted));
    }

    [Fact]
    public async Task ASweepOfManySeeds_WithOneMore_IsJudgedAnExtensionInLinearTime()
    {
        // Each added seed's place was checked against the stored list by a linear scan: 150,000 seeds took 1e10
        // comparisons, inside the coordinator's turn on a cluster.
        var stored = Stored with { Seeds = [.. Enumerable.Range(0, 150_000)], MaxCells = 1_000_000 };
        var submitted = stored with { Seeds = [.. stored.Seeds, 150_000] };

        var judge = Task.Run(() => SpecExtension.Obstacles(stored, submitted));
        // 0.2 s here now, 21 s before.
        Assert.Same(judge, await Task.WhenAny(judge, Task.Delay(TimeSpan.FromSeconds(5))));

        Assert.Empty(await judge);
    }

    [Fact]
    public void TheSameSpec_OrOneSpelledDifferently_IsNoExtension()
    {
        Assert.False(SpecExtension.Extends(Stored, Stored));
        Assert.False(SpecExtension.Extends(Stored, Stored with { LearningRates = [1e-1, 1e-2] }));
    }

    [Fact]
    public void DroppedOrReorderedValues_AndAnyOtherChange_AreObstaclesNamedByField()
    {
        var submitted = Stored with { LearningRates = [0.01, 0.001], Seeds = [0], Epochs = 2, BatchSize = 128 };
        var reordered = Stored with { LearningRates = [0.01, 0.1] };

        var obstacles = SpecExtension.Obstacles(Stored, submitted);

        Assert.Equal(["batchSize", "epochs", "learningRates"], obstacles.Select(o => o.Path));
        Assert.Contains("this drops 0.1", obstacles.Single(o => o.Path == "learningRates").Message);
        Assert.Contains("stored 3, submitted 2: an extension may raise epochs, not lower them", obstacles.Single(o => o.Path == "epochs").Message);
        Assert.Contains("in their order", Assert.Single(SpecExtension.Obstacles(Stored, reordered)).Message);
        Assert.Contains("in their order", Assert.Single(SpecExtension.Obstacles(Stored, reordered with { LearningRates = [0.01, 1.0, 0.1] })).Message);
        Assert.True(SpecExtension.Extends(Stored, Stored with { LearningRates = [1.0, 0.1, 0.5, 0.01, 0.001] }));   // added anywhere
        Assert.Single(SpecExtension.Obstacles(Stored, Stored with { Packing = PackingMode.None }), o => o.Path == "packing");
    }

    [Fact]
    public void RaisedEpochs_Extend_AloneOrWithAddedValues()
    {
        Assert.True(SpecExtension.Extends(Stored, Stored with { Epochs = Stored.Epochs + 1 }));
        Assert.True(SpecExtension.Extends(Stored, Stored with { Epochs = 1000, Seeds = [0, 1] }));
        Assert.False(SpecExtension.Extends(Stored, Stored with { Epochs = 1000, EvaluateEvery = 10 }));
        Assert.Equal(["evaluateEvery"], SpecExtension.Obstacles(Stored, Stored with { Epochs = 1000, EvaluateEvery = 10 }).Select(o => o.Path));
    }

    [Fact]
    public void ExtendedGrid_KeepsEveryStoredPack_AndPacksTheAddedCellsAmongThemselves()
    {
        var extended = Stored with { LearningRates = [0.1, 0.01, 0.001], Seeds = [0, 1] };
        var before = SweepGrid.Expand(Stored);

        var grid = SweepGrid.Expand(extended, [Stored]);

        var stored = Assert.Single(before.Packs);
        Assert.Equal(stored.Cells.Select(c => c.CellId), grid.PacksById[stored.PackId].Cells.Select(c => c.CellId));
        Assert.Equal(6, grid.Cells.Count);
        // Seed 1's three learning rates in one pack, as a fresh sweep of them would; seed 0's added one in a pack of its
        // own. Packs stand in the order of their first cell in the grid (0.1 of seed 1 comes before 0.001 of seed 0).
        var added = grid.Packs.Where(p => p.PackId != stored.PackId).ToList();
        Assert.Equal([[0.1, 0.01, 0.001], [0.001]], added.Select(p => p.Cells.Select(c => c.Config.LearningRate).ToArray()));
        Assert.Equal([1, 0], added.Select(p => p.Cells.Select(c => c.Config.Seed).Distinct().Single()));
        // Cells keep the spec's grid order, and ids do not depend on the history.
        Assert.Equal(SweepGrid.Expand(extended).Cells.Select(c => c.CellId), grid.Cells.Select(c => c.CellId));
        Assert.Equal(3, grid.Packs.Count);
        Assert.Equal(2, SweepGrid.Expand(extended).Packs.Count);   // without its history, seed 0's pack would change members and id
    }
}
