using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>Extending a sweep (a learning rate past the edge its winner sits on, another seed): only the added cells
/// train, in packs of their own; stored cells keep their curves and packs, also after the cluster restarts.</summary>
public sealed class ExtendTests
{
    [Fact]
    public async Task Extend_FinishedPackedSweep_TrainsOnlyTheAddedCells_AndTheGridSurvivesARestart()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        var spec = TestSpecs.Small("extend", [0.1, 0.01], epochs: 4, packing: PackingMode.Lr);
        var extended = spec with { LearningRates = [0.1, 0.01, 0.001], Seeds = [0, 1] };
        var directory = Path.Combine(Path.GetTempPath(), "gg-extend-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Dictionary<string, string> packs;
            await using (var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer, directory))
            {
                var sweep = cluster.Sweep("extend");
                await sweep.SubmitAsync(spec);
                var before = await cluster.WaitForFinishAsync("extend", TimeSpan.FromSeconds(30));
                var curvesBefore = await sweep.GetCurvesAsync(null);
                Assert.Equal(1, trainer.Opened);

                // A plain submit names the way; --extend's call adds 4 cells in 2 packs, and is idempotent.
                var refused = await Assert.ThrowsAsync<SpecValidationException>(() => sweep.SubmitAsync(extended));
                Assert.Contains("pass --extend", refused.Message);
                var result = await sweep.ExtendAsync(extended);
                Assert.Equal((false, 6, 3, 4, 2, SweepState.Running),
                    (result.Created, result.Cells, result.Packs, result.AddedCells, result.AddedPacks, result.State));
                var again = await sweep.ExtendAsync(extended);
                Assert.Equal((0, 6), (again.AddedCells, again.Cells));

                var after = await cluster.WaitForFinishAsync("extend", TimeSpan.FromSeconds(30));
                Assert.Equal(SweepState.Completed, after.State);
                Assert.All(after.Cells, c => Assert.Equal(CellState.Completed, c.State));
                Assert.Equal(3, trainer.Opened);   // the two added packs; the stored one was not trained again
                foreach (var old in before.Cells)
                    Assert.Equal(old.PackId, after.Cells.Single(c => c.CellId == old.CellId).PackId);
                var curvesAfter = (await sweep.GetCurvesAsync(null)).ToDictionary(c => c.CellId);
                foreach (var curve in curvesBefore)
                    Curves.AssertIdentical(curve.Records, curvesAfter[curve.CellId].Records, curve.CellId);
                foreach (var curve in curvesAfter.Values) Curves.AssertContiguous(curve.Records, spec.Epochs, curve.CellId);
                var results = (await sweep.GetResultsAsync(selection: null))!;
                Assert.Equal(6, results.Rows.Single().CellsTotal);
                packs = after.Cells.ToDictionary(c => c.CellId, c => c.PackId);
            }

            // The ledger keeps the sweep's history: a new activation packs the grid as it was trained.
            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer, directory);
            var status = (await second.Sweep("extend").GetStatusAsync())!;
            Assert.Equal(packs, status.Cells.ToDictionary(c => c.CellId, c => c.PackId));
            Assert.Equal(SpecCanonical.Flatten(extended), SpecCanonical.Flatten((await second.Sweep("extend").GetSpecAsync())!));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Extend_ClientsRacing_AddTheCellsOnce_AndAnExtensionOfTheOldSpecIsRefusedAfterwards()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2), SiloSpec.Cpu(2)], _ => trainer);
        var spec = TestSpecs.Small("extend-race", [0.1, 0.01], epochs: 3);
        await cluster.Sweep("extend-race").SubmitAsync(spec);
        var extended = spec with { LearningRates = [0.1, 0.01, 0.001] };

        // Six calls through both silos' grain factories at once, as clients racing would.
        var factories = cluster.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>()).ToList();
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            factories[i % factories.Count].GetGrain<ISweepCoordinatorGrain>("extend-race").ExtendAsync(extended)));

        Assert.Equal([0, 0, 0, 0, 0, 1], results.Select(r => r.AddedCells).Order());
        Assert.All(results, r => Assert.Equal(3, r.Cells));
        // Another client's extension, written against the spec as it was, would drop the learning rate just added.
        var e = await Assert.ThrowsAsync<SpecValidationException>(() =>
            cluster.Sweep("extend-race").ExtendAsync(spec with { Seeds = [0, 1] }));
        Assert.Contains("this drops 0.001", e.Errors.Single().Message);
        var status = await cluster.WaitForFinishAsync("extend-race", TimeSpan.FromSeconds(30));
        Assert.Equal(3, status.Cells.Count);
        Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
    }

    [Fact]
    public async Task Extend_RunningSweep_QueuesTheAddedCellsBehindIt_AndRefusesOtherChanges()
    {
        var gate = new EpochGate();
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer));
        var spec = TestSpecs.Small("extend-running", [0.1, 0.01], epochs: 6);
        var sweep = cluster.Sweep("extend-running");
        gate.HoldAfter(EpochGate.AnySilo, 3);
        await sweep.SubmitAsync(spec);
        await gate.WaitHeldAsync("the first pack");

        var e = await Assert.ThrowsAsync<SpecValidationException>(() =>
            sweep.ExtendAsync(spec with { LearningRates = [0.1, 0.001], Epochs = 5 }));
        Assert.StartsWith("sweep 'extend-running' cannot be extended by this spec", e.Message);
        Assert.Equal(["epochs", "learningRates"], e.Errors.Select(err => err.Path));
        Assert.Contains("may raise epochs, not lower them", e.Errors[0].Message);
        Assert.Equal(2, (await sweep.GetStatusAsync())!.Cells.Count);

        var result = await sweep.ExtendAsync(spec with { LearningRates = [0.1, 0.01, 0.001] });
        Assert.Equal((1, 3), (result.AddedCells, result.Cells));
        gate.Release();

        var status = await cluster.WaitForFinishAsync("extend-running", TimeSpan.FromSeconds(30));
        Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Assert.Equal([0.1, 0.01, 0.001], status.Cells.Select(c => c.Config.LearningRate));
        foreach (var curve in await sweep.GetCurvesAsync(null)) Curves.AssertContiguous(curve.Records, spec.Epochs, curve.CellId);
    }

    /// <summary>Refine put a rate in one row's rowRates; it did well, and the user moves it into learningRates: the row's
    /// cells trained it already and keep their curves, and only the other rows train it.</summary>
    [Fact]
    public async Task Extend_MovingARowsOwnRateIntoLearningRates_TrainsItInTheOtherRowsOnly_AndTheGridSurvivesARestart()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        var spec = TestSpecs.Small("extend-move", [0.1, 0.01], epochs: 3, packing: PackingMode.Lr) with
        {
            Optimizers = ["sgd", "adamw"], RowRates = [new RowLearningRates("backprop", "sgd", [0.001])],
        };
        var moved = spec with { LearningRates = [0.1, 0.01, 0.001], RowRates = null };
        var directory = Path.Combine(Path.GetTempPath(), "gg-extend-move-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Dictionary<string, string> packs;
            await using (var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer, directory))
            {
                var sweep = cluster.Sweep("extend-move");
                await sweep.SubmitAsync(spec);
                var before = await cluster.WaitForFinishAsync("extend-move", TimeSpan.FromSeconds(30));
                var curvesBefore = await sweep.GetCurvesAsync(null);
                Assert.Equal((5, 2), (before.Cells.Count, trainer.Opened));

                var result = await sweep.ExtendAsync(moved);
                Assert.Equal((1, 6), (result.AddedCells, result.Cells));
                var after = await cluster.WaitForFinishAsync("extend-move", TimeSpan.FromSeconds(30));
                Assert.Equal(3, trainer.Opened);
                var added = Assert.Single(after.Cells, c => before.Cells.All(b => b.CellId != c.CellId));
                Assert.Equal(("adamw", 0.001), (added.Config.Optimizer, added.Config.LearningRate));
                var curvesAfter = (await sweep.GetCurvesAsync(null)).ToDictionary(c => c.CellId);
                foreach (var curve in curvesBefore)
                    Curves.AssertIdentical(curve.Records, curvesAfter[curve.CellId].Records, curve.CellId);
                packs = after.Cells.ToDictionary(c => c.CellId, c => c.PackId);
            }

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer, directory);
            Assert.Equal(packs, (await second.Sweep("extend-move").GetStatusAsync())!.Cells.ToDictionary(c => c.CellId, c => c.PackId));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Every row held the same rate in its rowRates, and the user moves it into learningRates: no cell is added,
    /// but the grid lists its rates in another order, and a pack's id hashes its members in order. The stored spec
    /// stays a generation of its own, so every pack keeps its id (and checkpoint), nothing trains again, and a restart
    /// packs the grid as it was.</summary>
    [Fact]
    public async Task Extend_MovingARateEveryRowHolds_AddsNoCell_AndKeepsEveryPack_AlsoAfterARestart()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        var spec = TestSpecs.Small("extend-relist", [0.1, 0.01], epochs: 3, packing: PackingMode.Lr) with
        {
            Optimizers = ["sgd", "adamw"],
            RowRates = [new RowLearningRates("backprop", "sgd", [0.001]), new RowLearningRates("backprop", "adamw", [0.001])],
        };
        var moved = spec with { LearningRates = [0.1, 0.001, 0.01], RowRates = null };   // in the middle: the packs' order changes
        Assert.NotEqual(SweepGrid.Expand(spec).Packs.Select(p => p.PackId), SweepGrid.Expand(moved).Packs.Select(p => p.PackId));
        var directory = Path.Combine(Path.GetTempPath(), "gg-extend-relist-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Dictionary<string, string> packs;
            await using (var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer, directory))
            {
                var sweep = cluster.Sweep("extend-relist");
                await sweep.SubmitAsync(spec);
                packs = (await cluster.WaitForFinishAsync("extend-relist", TimeSpan.FromSeconds(30))).Cells.ToDictionary(c => c.CellId, c => c.PackId);

                var result = await sweep.ExtendAsync(moved);
                Assert.Equal((0, 6, SweepState.Completed, false), (result.AddedCells, result.Cells, result.State, result.Extended));
                Assert.Equal([0.001], result.MovedRates!);
                Assert.Null(result.MaxCellsBefore);
                var status = (await sweep.GetStatusAsync())!;
                Assert.Equal(packs, status.Cells.ToDictionary(c => c.CellId, c => c.PackId));
                Assert.Equal(SweepState.Completed, status.State);
                Assert.Equal(2, trainer.Opened);
                Assert.Equal(SpecCanonical.Flatten(moved), SpecCanonical.Flatten((await sweep.GetSpecAsync())!));
            }

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer, directory);
            var after = (await second.Sweep("extend-relist").GetStatusAsync())!;
            Assert.Equal(packs, after.Cells.ToDictionary(c => c.CellId, c => c.PackId));
            Assert.Equal(SweepState.Completed, after.State);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>An extension that changes only maxCells stores it and says so, and adds no generation (the grid is the
    /// same): it once answered as if nothing changed, and recorded a generation that grew nothing.</summary>
    [Fact]
    public async Task Extend_WithOnlyANewMaxCells_StoresItWithoutANewGeneration()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5)));
        var spec = TestSpecs.Small("extend-max", [0.1, 0.01]);
        var sweep = cluster.Sweep("extend-max");
        await sweep.SubmitAsync(spec);
        await cluster.WaitForFinishAsync("extend-max", TimeSpan.FromSeconds(30));

        var result = await sweep.ExtendAsync(spec with { MaxCells = 20_000 });

        Assert.Equal((0, 2, SweepState.Completed), (result.AddedCells, result.Cells, result.State));
        Assert.Equal((SweepSpec.DefaultMaxCells, 20_000), (result.MaxCellsBefore, result.MaxCells));
        Assert.Equal(20_000, (await sweep.GetSpecAsync())!.MaxCells);
        Assert.Null((await sweep.GetSummaryAsync())!.Growth);   // never grown: no generation
        Assert.False((await sweep.SubmitAsync(spec with { MaxCells = 20_000 })).Created);   // the stored spec is the new one
    }

    /// <summary>The client checks that the sweep exists before it extends it, and a delete may land between: the extension
    /// must not create the sweep from the extended spec (and train it all) instead.</summary>
    [Fact]
    public async Task AnExtensionOfNoSweep_IsRefused_AndCreatesNothing()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero));
        var e = await Assert.ThrowsAsync<SpecValidationException>(() => cluster.Sweep("gone").ExtendAsync(TestSpecs.Small("gone", [0.1, 0.01])));
        Assert.Equal("--extend: name: there is no sweep named 'gone' to extend; submit it without --extend", e.Message);
        Assert.Null(await cluster.Sweep("gone").GetStatusAsync());
    }
}
