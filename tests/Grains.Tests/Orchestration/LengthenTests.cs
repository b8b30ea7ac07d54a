using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>An extension that raises a sweep's epochs: its completed cells train on from their packs' last checkpoints under
/// the ids they were created with, and their curves go on as if the longer run had been asked for from the start.</summary>
public sealed class LengthenTests
{
    [Fact]
    public async Task RaisedEpochs_TrainTheCompletedCellsOnFromTheirCheckpoints_AndTheGridSurvivesARestart()
    {
        var opened = new OpenedAt(new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5)));
        var spec = TestSpecs.Small("lengthen", [0.1, 0.01], epochs: 4, packing: PackingMode.Lr);
        var longer = spec with { Epochs = 7 };
        var directory = Path.Combine(Path.GetTempPath(), "gg-lengthen-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Dictionary<string, string> cells;
            await using (var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => opened, directory))
            {
                var sweep = cluster.Sweep("lengthen");
                await sweep.SubmitAsync(spec);
                var before = await cluster.WaitForFinishAsync("lengthen", TimeSpan.FromSeconds(30));
                var curvesBefore = (await sweep.GetCurvesAsync(null)).ToDictionary(c => c.CellId);

                // A plain submit says what --extend would do; a lower count is refused with the way to read earlier epochs.
                var refused = await Assert.ThrowsAsync<SpecValidationException>(() => sweep.SubmitAsync(longer));
                Assert.Contains("raises its epochs (pass --extend", refused.Message);
                var lower = await Assert.ThrowsAsync<SpecValidationException>(() => sweep.ExtendAsync(spec with { Epochs = 3 }));
                Assert.Contains("may raise epochs, not lower them", lower.Errors.Single().Message);

                var result = await sweep.ExtendAsync(longer);
                Assert.Equal((0, 4, 7, 2, 2, 1, SweepState.Running),
                    (result.AddedCells, result.EpochsBefore, result.Epochs, result.ReopenedCells, result.Cells, result.Packs, result.State));
                Assert.True(result.Extended);
                var again = await sweep.ExtendAsync(longer);   // the same spec again: nothing changes
                Assert.Equal((null, 0), (again.EpochsBefore, again.ReopenedCells));

                var after = await cluster.WaitForFinishAsync("lengthen", TimeSpan.FromSeconds(30));
                Assert.Equal(SweepState.Completed, after.State);
                Assert.Equal(7, after.Epochs);
                Assert.Equal(before.Cells.Select(c => (c.CellId, c.PackId)), after.Cells.Select(c => (c.CellId, c.PackId)));
                Assert.All(after.Cells, c => Assert.Equal((CellState.Completed, 7), (c.State, c.Epoch)));
                // Opened twice: from nothing, then from the checkpoint it finished at (not trained again from epoch 0).
                Assert.Equal([0, 4], opened.Epochs);
                foreach (var curve in await sweep.GetCurvesAsync(null))
                {
                    Curves.AssertContiguous(curve.Records, 7, curve.CellId);
                    Curves.AssertIdentical(curvesBefore[curve.CellId].Records, curve.Records.Take(4).ToList(), curve.CellId);
                }
                cells = after.Cells.ToDictionary(c => c.CellId, c => c.PackId);
            }

            // A new activation reads the grown ledger with the same ids, and the registry's growth keeps each generation's epochs.
            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => opened, directory);
            var status = (await second.Sweep("lengthen").GetStatusAsync())!;
            Assert.Equal(cells, status.Cells.ToDictionary(c => c.CellId, c => c.PackId));
            Assert.Equal(SweepState.Completed, status.State);
            var growth = (await second.Sweep("lengthen").GetSummaryAsync())!.Growth;
            Assert.Equal([4, 7], SweepGrowth.Before(growth, longer)!.Select(s => s.Epochs).Append(longer.Epochs));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A lengthened sweep whose ledger is lost is rebuilt from its current spec: its cells are found under the ids
    /// of the epochs it was created with (it was once created anew, every cell trained again from epoch 0).</summary>
    [Fact]
    public async Task ALostLedgerOfALengthenedSweep_IsRebuiltFromItsCurrentSpec_UnderTheSameIds()
    {
        var opened = new OpenedAt(new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5)));
        var spec = TestSpecs.Small("lengthen-lost", [0.1, 0.01], epochs: 4, packing: PackingMode.Lr);
        var longer = spec with { Epochs = 6 };
        var directory = Path.Combine(Path.GetTempPath(), "gg-lengthen-lost-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Dictionary<string, string> cells;
            List<CellCurve> curves;
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => opened, directory))
            {
                await first.Sweep(spec.Name).SubmitAsync(spec);
                await first.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));
                await first.Sweep(spec.Name).ExtendAsync(longer);
                cells = (await first.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30))).Cells.ToDictionary(c => c.CellId, c => c.PackId);
                curves = [.. await first.Sweep(spec.Name).GetCurvesAsync(null)];
            }
            var ledger = Path.Combine(directory, "state", "gg-sweep", spec.Name + ".sweep.state");
            File.Move(ledger, ledger + ".damaged");

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => opened, directory);
            var rebuilt = second.Sweep(spec.Name);
            Assert.True((await rebuilt.SubmitAsync(longer)).Created);
            var status = await second.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));

            Assert.Equal(cells, status.Cells.ToDictionary(c => c.CellId, c => c.PackId));
            Assert.All(status.Cells, c => Assert.Equal((CellState.Completed, 6), (c.State, c.Epoch)));
            Assert.Equal([0, 4], opened.Epochs);   // nothing trained again: the packs had finished
            var after = (await rebuilt.GetCurvesAsync(null)).ToDictionary(c => c.CellId);
            foreach (var curve in curves) Curves.AssertIdentical(curve.Records, after[curve.CellId].Records, curve.CellId);
            // The registry keeps how it grew: the rebuilt sweep can be raised again under the same ids.
            var again = await rebuilt.ExtendAsync(longer with { Epochs = 8 });
            Assert.Equal((6, 2), (again.EpochsBefore, again.ReopenedCells));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A raise whose packs lost the checkpoints they finished at (moved away to free the disk, say) trains them again
    /// from epoch 0, and status says so, naming the epoch they had finished at, also where that is no multiple of
    /// checkpointEvery; the curves stay whole.</summary>
    [Fact]
    public async Task ARaiseWithoutTheFinishedPacksCheckpoints_SaysSo_AndTheCurvesStayWhole()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gg-lengthen-nockpt-" + Guid.NewGuid().ToString("N")[..8]);
        var hold = new EpochGate();
        var spec = TestSpecs.Small("lengthen-nockpt", [0.1], epochs: 3) with { CheckpointEvery = 5 };
        try
        {
            await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => hold.For(s, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5))), directory);
            var sweep = cluster.Sweep(spec.Name);
            await sweep.SubmitAsync(spec);
            await cluster.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));
            var checkpoint = Assert.Single(Directory.GetFiles(Path.Combine(cluster.CheckpointDirectory, spec.Name), "*.ckpt"));
            File.Move(checkpoint, checkpoint + ".away");

            hold.HoldAfter(EpochGate.AnySilo, 1);
            await sweep.ExtendAsync(spec with { Epochs = 6 });
            await hold.WaitHeldAsync("the pack trained again");
            var held = (await sweep.GetStatusAsync())!;

            Assert.Equal($"pack {held.Cells.Single().PackId} went on from epoch 0 on silo {cluster.Cluster.Silos.Single().Name}, but it had finished and " +
                         $"checkpointed at epoch 3 (its curves are stored to epoch 3): no checkpoint is at {checkpoint} there. A raise of the epochs " +
                         "trains on from a finished pack's checkpoint: keep them where it may come; the epochs trained again are not stored twice",
                held.Problem);
            hold.Release();
            var done = await cluster.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));
            Assert.Null(done.Problem);
            Curves.AssertContiguous((await sweep.GetCurvesAsync(null)).Single().Records, 6, held.Cells.Single().CellId);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Clients racing to raise the epochs to different lengths: the longer one wins whatever the order (a shorter one
    /// after it would lower them, and is refused saying so), and every cell ends at its length, each epoch stored once.</summary>
    [Fact]
    public async Task ClientsRacingToRaiseTheEpochs_EndAtTheLongest()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2), SiloSpec.Cpu(2)],
            _ => new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5)));
        var spec = TestSpecs.Small("lengthen-race", [0.1, 0.01], epochs: 3, packing: PackingMode.Lr, seeds: [0, 1]);
        await cluster.Sweep(spec.Name).SubmitAsync(spec);
        await cluster.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));

        var factories = cluster.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>()).ToList();
        var calls = Enumerable.Range(0, 6).Select(async i =>
        {
            var coordinator = factories[i % factories.Count].GetGrain<ISweepCoordinatorGrain>(spec.Name);
            try { return (Result: await coordinator.ExtendAsync(spec with { Epochs = i % 2 == 0 ? 5 : 8 }), Refusal: (string?)null); }
            catch (SpecValidationException e) { return (Result: (SubmitResult?)null, Refusal: e.Errors.Single().Message); }
        });
        var outcomes = await Task.WhenAll(calls);

        Assert.All(outcomes.Where(o => o.Refusal is not null), o => Assert.Contains("stored 8, submitted 5: an extension may raise epochs, not lower them", o.Refusal));
        Assert.Equal(8, (await cluster.Sweep(spec.Name).GetSpecAsync())!.Epochs);
        var status = await cluster.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));
        Assert.All(status.Cells, c => Assert.Equal((CellState.Completed, 8), (c.State, c.Epoch)));
        foreach (var curve in await cluster.Sweep(spec.Name).GetCurvesAsync(null)) Curves.AssertContiguous(curve.Records, 8, curve.CellId);
    }

    /// <summary>A pack still training the old length when the epochs are raised finishes it, is queued again, and trains on
    /// from there; the same extension's added learning rate trains in a pack of its own, at the new length.</summary>
    [Fact]
    public async Task RaisedEpochsWhileAPackTrains_AndAnAddedRate_EndWithEveryCellAtTheNewLength()
    {
        var gate = new EpochGate();
        var opened = new OpenedAt(new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5)));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, opened));
        var spec = TestSpecs.Small("lengthen-running", [0.1, 0.01], epochs: 5, packing: PackingMode.Lr);
        var sweep = cluster.Sweep("lengthen-running");
        gate.HoldAfter(EpochGate.AnySilo, 3);
        await sweep.SubmitAsync(spec);
        await gate.WaitHeldAsync("the first pack");

        var result = await sweep.ExtendAsync(spec with { Epochs = 8, LearningRates = [0.1, 0.01, 0.001] });
        Assert.Equal((1, 1, 5, 0), (result.AddedCells, result.AddedPacks, result.EpochsBefore, result.ReopenedCells));   // nothing completed yet
        gate.Release();

        var status = await cluster.WaitForFinishAsync("lengthen-running", TimeSpan.FromSeconds(30));
        Assert.All(status.Cells, c => Assert.Equal((CellState.Completed, 8), (c.State, c.Epoch)));
        foreach (var curve in await sweep.GetCurvesAsync(null)) Curves.AssertContiguous(curve.Records, 8, curve.CellId);
        // The first pack ran to its old end (5) and on from that checkpoint; the added pack from nothing.
        Assert.Contains(5, opened.Epochs);
        Assert.Equal(2, opened.Epochs.Count(e => e == 0));
    }

    [Fact]
    public async Task RealTraining_Lengthened_IsBitIdenticalToTheLongerRunTrainedStraight()
    {
        TorchRuntime.SetThreads(1);
        var real = new PackTrainerFactory();
        var spec = new SweepSpec("lengthen-real", new DataSpec("synthetic", Train: 256, Test: 64, Features: 12), new ModelSpec(2, 12),
            ["backprop", "directional"], ["adamw"], [1e-2, 1e-3], [0], 3, BatchSize: 64, CheckpointEvery: 2, Packing: PackingMode.Lr,
            Diagnostics: new DiagnosticsSpec(CosineEvery: 3, EffectiveRank: true));
        var longer = spec with { Epochs = 6 };
        var expected = Curves.Uninterrupted(longer, real);
        var byConfig = SweepGrid.Expand(longer).Cells.ToDictionary(c => c.Config, c => expected[c.CellId]);
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => real);
        var sweep = cluster.Sweep("lengthen-real");
        await sweep.SubmitAsync(spec);
        await cluster.WaitForFinishAsync("lengthen-real", TimeSpan.FromSeconds(60));

        await sweep.ExtendAsync(longer);
        var status = await cluster.WaitForFinishAsync("lengthen-real", TimeSpan.FromSeconds(60));

        Assert.All(status.Cells, c => Assert.Equal((CellState.Completed, 6), (c.State, c.Epoch)));
        var configs = status.Cells.ToDictionary(c => c.CellId, c => c.Config);
        foreach (var curve in await sweep.GetCurvesAsync(null))
            Curves.AssertIdentical(byConfig[configs[curve.CellId]], curve.Records, curve.CellId);
    }

    /// <summary>Records the epoch each opened pack stands at (0: from nothing; more: from its checkpoint).</summary>
    private sealed class OpenedAt(IPackTrainerFactory inner) : IPackTrainerFactory
    {
        private readonly List<int> _epochs = [];
        public IReadOnlyList<int> Epochs { get { lock (_epochs) return _epochs.ToArray(); } }

        public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device)
        {
            var trainer = inner.Open(spec, checkpointPath, device);
            lock (_epochs) _epochs.Add(trainer.EpochsCompleted);
            return trainer;
        }
    }
}
