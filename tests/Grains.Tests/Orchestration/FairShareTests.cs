using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>Sweeps share the cluster's slots: a sweep submitted while a long one has filled every slot gets its share as
/// the long one's packs end, instead of waiting for the whole of it.</summary>
public sealed class FairShareTests
{
    [Fact]
    public async Task ASweepSubmittedBehindALongOne_GetsHalfTheSlots_AsTheLongOnesPacksEnd()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(40));
        var hold = new EpochGate();
        hold.HoldAfter(EpochGate.AnySilo, 2);   // the long sweep's first packs wait, so the short one is submitted into a full cluster
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => hold.For(s, trainer));
        var lrs = Enumerable.Range(0, 16).Select(i => Math.Pow(10, -1 - i / 4.0)).ToArray();
        await cluster.Sweep("long").SubmitAsync(TestSpecs.Small("long", lrs, epochs: 6));
        await hold.WaitHeldAsync("the long sweep's packs", packs: 2);
        var longWhileAlone = (await cluster.Sweep("long").GetStatusAsync())!;
        await cluster.Sweep("short").SubmitAsync(TestSpecs.Small("short", [0.1, 0.01], epochs: 6));
        var waiting = await cluster.WaitForAsync("short", s => s.Waiting is not null, TimeSpan.FromSeconds(30), "said nothing of waiting");
        hold.Release();

        var shortDone = await cluster.WaitForFinishAsync("short", TimeSpan.FromSeconds(60));
        var longThen = (await cluster.Sweep("long").GetStatusAsync())!;
        var longDone = await cluster.WaitForFinishAsync("long", TimeSpan.FromSeconds(60));

        Assert.All(shortDone.Cells, c => Assert.Equal(CellState.Completed, c.State));
        // Submitted while every slot was in use: said as a note, not a problem (the cluster is busy, nothing is wrong).
        Assert.Equal("2 packs wait for a slot: the cluster's 2 are in use, shared with 1 other sweep", waiting.Waiting);
        Assert.Null(waiting.Problem);
        Assert.Null(shortDone.Waiting);
        // The long sweep alone had more packs than slots from the start: queued, but sharing with nobody, so no note.
        Assert.Null(longWhileAlone.Waiting);
        // Two slots shared by two sweeps: the short one's two packs train one at a time beside the long one's, so the
        // long one has at most a handful of its 16 packs done when the short one ends.
        Assert.True(longThen.Count(CellState.Completed) <= 8, $"the long sweep had {longThen.Count(CellState.Completed)} of 16 cells done");
        Assert.True(shortDone.FinishedAt < longDone.FinishedAt);
    }

    [Fact]
    public async Task ASweepOnAClusterWithoutTrainingSlots_HasAProblemSayingSo_AndTrainsOnceASiloOffersOne()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining], _ => trainer, later: SiloSpec.Cpu(1));
        await cluster.Sweep("nowhere").SubmitAsync(TestSpecs.Small("nowhere", [0.1], epochs: 2));

        var stuck = await cluster.WaitForAsync("nowhere", s => s.Problem is not null, TimeSpan.FromSeconds(30), "said nothing");
        Assert.Equal("no silo of the cluster offers a training slot: the queued packs wait for one (start a silo with --gpus or --cpu-training)",
            stuck.Problem);
        Assert.Null(stuck.Waiting);
        await cluster.Cluster.StartAdditionalSiloAsync();
        var done = await cluster.WaitForFinishAsync("nowhere", TimeSpan.FromSeconds(60));
        Assert.Equal(CellState.Completed, done.Cells.Single().State);
        Assert.Null(done.Problem);
    }

    [Fact]
    public async Task ASlotFreedWhileAnotherSweepWaits_IsTakenAtOnce_NotAtTheWaitingSweepsNextWatchdogTick()
    {
        // Watchdog ticks 15 s apart, so a slot left idle until one is plain to see, with room for a loaded machine.
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30), divergeAtLearningRate: 10);
        var hold = new EpochGate();
        hold.HoldAfter(EpochGate.AnySilo, 1);
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => hold.For(s, trainer),
            configure: o => o.WatchdogInterval = TimeSpan.FromSeconds(15));
        // Two slots: the long sweep's first two packs run (the one at LR 20 diverges in its second epoch), its third waits.
        await cluster.Sweep("long").SubmitAsync(TestSpecs.Small("long", [20, 0.1, 0.01], epochs: 200));
        await hold.WaitHeldAsync("the long sweep's first packs", packs: 2);
        await cluster.Sweep("short").SubmitAsync(TestSpecs.Small("short", [0.1], epochs: 4));
        await cluster.WaitForAsync("short", s => s.Waiting is not null, TimeSpan.FromSeconds(30), "said nothing of waiting");
        hold.Release();

        // The diverged pack's slot goes to the short sweep (it runs none); once that ends, to the long sweep's third pack.
        await cluster.WaitForFinishAsync("short", TimeSpan.FromSeconds(30));
        var third = await cluster.WaitForAsync("long", s => s.Cells.Single(c => c.Config.LearningRate == 0.01).State == CellState.Running,
            TimeSpan.FromSeconds(7.5), "did not start its third pack within half a watchdog interval of the short sweep's end");
        Assert.Equal(CellState.Diverged, third.Cells.Single(c => c.Config.LearningRate == 20).State);
    }

    [Fact]
    public async Task TwoSlotsFreedWithinASecond_AreBothTakenAtOnce_NotTheSecondAtTheNextWatchdogTick()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30), divergeAtLearningRate: 10);
        var hold = new EpochGate();
        hold.HoldAfter(EpochGate.AnySilo, 1);
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => hold.For(s, trainer),
            configure: o => o.WatchdogInterval = TimeSpan.FromSeconds(15));
        // Two slots: a's pack at LR 20 diverges in its second epoch, its other pack ends at epoch 12, about 0.3 s later.
        await cluster.Sweep("a").SubmitAsync(TestSpecs.Small("a", [20, 0.1], epochs: 12));
        await hold.WaitHeldAsync("a's packs", packs: 2);
        await cluster.Sweep("w").SubmitAsync(TestSpecs.Small("w", [0.1, 0.01], epochs: 400));
        await cluster.WaitForAsync("w", s => s.Waiting is not null, TimeSpan.FromSeconds(30), "said nothing of waiting");
        hold.Release();

        // w is woken for the first slot; the second, freed while that wake was recent, wakes it again once it has asked.
        await cluster.WaitForFinishAsync("a", TimeSpan.FromSeconds(30));
        await cluster.WaitForAsync("w", s => s.Count(CellState.Running) == 2, TimeSpan.FromSeconds(7.5),
            "did not start its second pack within half a watchdog interval of the second freed slot");
        await cluster.Sweep("w").CancelAsync();
    }
}
