using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>Fair share beyond pack ends: a sweep that waits while another holds every slot with long packs gets its share
/// within a watchdog interval, even between their checkpoints; the pack that gives its slot up checkpoints where it stops,
/// resumes from there later and loses nothing. The yield is counted once, even when its report is applied and sent again
/// (its answer lost, the training grain tries three times).</summary>
public sealed class PreemptionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASweepWaitingBehindLongPacks_GetsASlotBetweenTheirCheckpoints_AndThePackThatGaveItUpResumesExactly(bool yieldAnswerLost)
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var lost = new YieldAnswerLost();
        var logs = new LogCapture();
        // Two silos of one slot each: the slot ledger lives on one of them, so a yield is asked for across silos too.
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1), SiloSpec.Cpu(1)], _ => trainer,
            configure: o => o.PreemptAfter = TimeSpan.FromMilliseconds(300),
            services: s =>
            {
                s.AddSingleton<ILoggerProvider>(logs);
                if (yieldAnswerLost) s.AddSingleton<IIncomingGrainCallFilter>(lost);
            });
        // Two packs of 240 epochs (7.2 s each at least) fill both slots, checkpointing only at their end: a yield cannot
        // wait for a checkpoint (watchdog interval 500 ms, so the packs ask the ledger about that often). The no-op epochs
        // take wall time however busy the machine, the yield's calls do not: the margin is for a slow CI machine.
        var longSpec = TestSpecs.Small("long", [0.1, 0.01], epochs: 240) with { CheckpointEvery = 240 };
        await cluster.Sweep("long").SubmitAsync(longSpec);
        await cluster.WaitForAsync("long", s => s.Count(CellState.Running) == 2 && s.Cells.All(c => c.Epoch >= 1),
            TimeSpan.FromSeconds(30), "did not start both packs");
        await cluster.Sweep("short").SubmitAsync(TestSpecs.Small("short", [0.1], epochs: 10));

        var shortDone = await cluster.WaitForFinishAsync("short", TimeSpan.FromSeconds(30));
        var longThen = (await cluster.Sweep("long").GetStatusAsync())!;
        var longDone = await cluster.WaitForFinishAsync("long", TimeSpan.FromSeconds(90));

        Assert.Equal(CellState.Completed, shortDone.Cells.Single().State);
        // Without the yield the short sweep would have started only once a long pack had ended.
        Assert.True(longThen.Count(CellState.Completed) == 0, $"{longThen.Count(CellState.Completed)} long cells had ended before the short sweep did");
        // One yield, and only one: afterwards each sweep held one slot, and passing it back would change nothing.
        var yields = longDone.Yields ?? throw new Xunit.Sdk.XunitException("the long sweep's status names no yield");
        if (yieldAnswerLost) Assert.True(lost.Resent, "the yield's end report was not sent again after its lost answer");
        Assert.Equal(1, yields.Count);
        Assert.Equal("short", yields.LastTo);
        Assert.InRange(yields.LastEpoch, 1, longSpec.Epochs - 1);   // between checkpoints
        Assert.Null(shortDone.Yields);
        Assert.All(longDone.Cells, c => Assert.Equal(CellState.Completed, c.State));
        // The pack that gave up its slot was opened again from the checkpoint it wrote where it stopped, and its curve is
        // the uninterrupted one. The curve alone cannot tell (no-op records depend on the epoch only, and epochs re-sent
        // from a start at 0 are dropped as stored): its trainer must have loaded that checkpoint, at the yield's epoch.
        Assert.Equal(4, trainer.Opened);
        Assert.Equal($"Pack long/{yields.LastPack}: resuming from its checkpoint at epoch {yields.LastEpoch}",
            Assert.Single(logs.Matching("resuming from its checkpoint")));
        Curves.AssertUninterrupted(await cluster.Sweep("long").GetCurvesAsync(null), longSpec, trainer);
    }

    /// <summary>A slot is free, but the silo's memory for packs has no room for the waiting sweep's pack beside the long ones:
    /// a long pack gives up its slot, whose release makes the room. Before, the free slot counted as one the waiting sweep
    /// would take, so no pack yielded, and the waiting pack was placed, refused for memory and re-queued every two seconds
    /// until a long pack ended.</summary>
    [Fact]
    public async Task ASweepWhosePackNoFreeSlotHasRoomFor_GetsTheSlotOfAPackThatYields()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var logs = new LogCapture();
        var longSpec = TestSpecs.Small("long", [0.1, 0.01], epochs: 240) with { CheckpointEvery = 240 };
        var shortSpec = TestSpecs.Small("short", [0.1], epochs: 10);
        long longBytes = TestSpecs.FirstPackBytes(longSpec), shortBytes = TestSpecs.FirstPackBytes(shortSpec);
        // Three slots; memory for both long packs and the short one beside one of them, not beside both.
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(3)], _ => trainer,
            configure: o =>
            {
                o.PreemptAfter = TimeSpan.FromMilliseconds(300);
                o.CpuTrainingMemoryBytes = 2 * longBytes + shortBytes - 1;
            },
            services: s => s.AddSingleton<ILoggerProvider>(logs));
        await cluster.Sweep("long").SubmitAsync(longSpec);
        await cluster.WaitForAsync("long", s => s.Count(CellState.Running) == 2 && s.Cells.All(c => c.Epoch >= 1),
            TimeSpan.FromSeconds(30), "did not start both packs");
        await cluster.Sweep("short").SubmitAsync(shortSpec);

        var shortDone = await cluster.WaitForFinishAsync("short", TimeSpan.FromSeconds(30));
        var longThen = (await cluster.Sweep("long").GetStatusAsync())!;
        var longDone = await cluster.WaitForFinishAsync("long", TimeSpan.FromSeconds(90));

        Assert.Equal(CellState.Completed, shortDone.Cells.Single().State);
        Assert.True(longThen.Count(CellState.Completed) == 0, $"{longThen.Count(CellState.Completed)} long cells had ended before the short sweep did");
        var yields = longDone.Yields ?? throw new Xunit.Sdk.XunitException("the long sweep's status names no yield");
        Assert.Equal((1, "short"), (yields.Count, yields.LastTo));
        Assert.All(longDone.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Curves.AssertUninterrupted(await cluster.Sweep("long").GetCurvesAsync(null), longSpec, trainer);
        Assert.Empty(logs.Matching("waits for memory"));   // never placed where it had no room
    }

    /// <summary>Applies the first end report of a yield, then answers it with a timeout, as a reply lost on its way back.</summary>
    private sealed class YieldAnswerLost : IIncomingGrainCallFilter
    {
        private int _yields;
        public bool Resent => Volatile.Read(ref _yields) > 1;

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            await context.Invoke();
            if (context.InterfaceMethod?.Name == nameof(ISweepCoordinatorGrain.PackEndedAsync)
                && context.Request.GetArgument(2) is PackProgress { YieldedTo: not null }
                && Interlocked.Increment(ref _yields) == 1)
                throw new TimeoutException("the answer to the yield's end report was lost");
        }
    }
}
