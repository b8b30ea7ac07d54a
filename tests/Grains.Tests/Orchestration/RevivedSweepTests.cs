using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>An extension that comes in while a cancel waits on its ledger write revives the sweep for the added cells
/// only. The cancel, back from withdrawing its demand for slots, then finds the sweep running and stops no pack, so a
/// pack of its cancelled cells that did not report meanwhile (a long epoch) learns that it has nothing left to train from
/// the reply to its next report. Before, it trained them to the end on the slot the added cell waited for.</summary>
public sealed class RevivedSweepTests
{
    [Fact]
    public async Task AnExtensionOvertakingACancel_StopsThePackOfTheCancelledCells_AndTheAddedCellTrains()
    {
        var hooks = new StorageHooks();
        var gate = new EpochGate();
        var extending = new CallUnderWay(c => c.InterfaceMethod?.Name == nameof(ISweepCoordinatorGrain.ExtendAsync));
        // The cancel's withdrawal of its demand for slots (a demand of 0), held at the slot ledger's door: the extension
        // revives the sweep while the cancel waits there, whichever of the two a loaded machine would run first.
        var withdrawal = new HeldCall(c => c.InterfaceMethod?.Name == nameof(IGpuLedgerGrain.GetShareAsync) && c.Request.GetArgument(1) is 0);
        // Two clean-clone CI runs saw the held pack stopped by something else (2026-12-08, not reproduced since): the
        // silo's log, kept, says what if it comes again.
        var logs = new LogCapture();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)],
            silo => gate.For(silo, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10))), services: s =>
            {
                hooks.Register(s);
                s.AddSingleton<ILoggerProvider>(logs);
                s.AddSingleton<IIncomingGrainCallFilter>(extending);
                s.AddSingleton<IIncomingGrainCallFilter>(withdrawal);
            });
        var spec = TestSpecs.Small("revived", [0.1, 0.05], epochs: 40);   // two packs, one slot: the sweep asks for more
        var sweep = cluster.Sweep("revived");
        gate.HoldAfter(EpochGate.AnySilo, 2);   // the pack's third epoch is a long one: it reports nothing until released
        await sweep.SubmitAsync(spec);
        await gate.WaitHeldAsync("the pack after two epochs");

        var write = hooks.HoldWrites(SweepCoordinatorGrain.GrainTypeName);
        var cancel = sweep.CancelAsync();
        await write.Writing.WaitAsync(TimeSpan.FromSeconds(30));  // the cancel waits on its ledger write
        var extend = sweep.ExtendAsync(spec with { LearningRates = [0.1, 0.05, 0.01] });
        // And the extension behind it: its flush waits on that write (a fixed second for it to get there was too short once
        // under CI load).
        await extending.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        write.Release();
        await withdrawal.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cluster.WaitForAsync("revived", s => s.State == SweepState.Running, TimeSpan.FromSeconds(30), "the extension did not revive the sweep");
        withdrawal.Release.SetResult();
        Assert.Equal(2, await cancel);
        Assert.Equal(1, (await extend).AddedCells);
        Assert.True(gate.Held == 1, $"no stop was to reach the pack (the sweep read running again), yet {gate.Held} held;"
            + $" the silo logged of the sweep:\n{string.Join("\n", logs.Matching("revived").TakeLast(40))}");
        gate.Release();

        var status = await cluster.WaitForFinishAsync("revived", TimeSpan.FromSeconds(60));
        var cancelled = status.Cells.Single(c => c.Config.LearningRate == 0.1);
        Assert.Equal(CellState.Cancelled, cancelled.State);
        Assert.True(cancelled.Epoch < 20, $"the cancelled cell trained on to epoch {cancelled.Epoch}");
        Assert.Equal((CellState.Cancelled, 0), status.Cells.Where(c => c.Config.LearningRate == 0.05).Select(c => (c.State, c.Epoch)).Single());
        var added = status.Cells.Single(c => c.Config.LearningRate == 0.01);
        Assert.Equal((CellState.Completed, 40), (added.State, added.Epoch));
    }

    /// <summary>An extension of a cancelled sweep revives it for its added cells; its write failing takes the revival back.
    /// A resume that came in during that write had queued the cancelled cells again and was told so, yet the rollback
    /// put the sweep back to cancelled: nothing trained, and only a second resume woke it.</summary>
    [Fact]
    public async Task AResumeDuringAFailingExtension_KeepsTheSweepRunning_AndItsCellsTrain()
    {
        var hooks = new StorageHooks();
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)],
            silo => gate.For(silo, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10))), services: hooks.Register);
        var spec = TestSpecs.Small("resumed-in-between", [0.1], epochs: 6);
        var sweep = cluster.Sweep(spec.Name);
        gate.HoldAfter(EpochGate.AnySilo, 2);
        await sweep.SubmitAsync(spec);
        await gate.WaitHeldAsync("the pack after two epochs");
        Assert.Equal(1, await sweep.CancelAsync());
        gate.Release();
        await cluster.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));
        await QuietAsync(cluster, hooks);   // the next write is the extension's own

        var (writing, write) = HoldNextLedgerWrite(hooks);   // the extension's write, held, then failed
        var extend = sweep.ExtendAsync(spec with { LearningRates = [0.1, 0.01] });
        await writing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The held write is the extension's own, the sweep revived in memory (not a flush before it: then it would fail
        // the extension before its revival, and the rollback below would not be tried).
        Assert.Equal(SweepState.Running, (await sweep.GetStatusAsync())!.State);
        var resume = sweep.ResumeAsync();
        // The resume has queued the cancelled cell (before its first await) and waits on the ledger's writer.
        await cluster.WaitForAsync(spec.Name, s => s.Cells.Any(c => c.State == CellState.Queued), TimeSpan.FromSeconds(30), "the resume did not come in");
        write.SetException(new IOException("the disk is full"));
        await Assert.ThrowsAnyAsync<Exception>(() => extend);
        Assert.Equal(1, await resume.WaitAsync(TimeSpan.FromSeconds(30)));

        var done = await cluster.WaitForAsync(spec.Name, s => s.State == SweepState.Completed, TimeSpan.FromSeconds(30),
            "the resumed sweep did not train its cell");
        Assert.Equal((CellState.Completed, 6), done.Cells.Select(c => (c.State, c.Epoch)).Single());   // the extension's cell is gone
    }

    /// <summary>A second client extending to the same spec while the first extension's write is in flight finds no
    /// difference and waits for that write. When it fails, the first extension is taken back: the second was then told
    /// "nothing changed", and the added cells were never made.</summary>
    [Fact]
    public async Task AnExtensionWaitingOnAFailingOne_MakesTheAddedCellsItself()
    {
        var hooks = new StorageHooks();
        var extensions = 0;
        var secondWaiting = new CallUnderWay(c => c.InterfaceMethod?.Name == nameof(ISweepCoordinatorGrain.ExtendAsync)
                                                  && Interlocked.Increment(ref extensions) == 2);
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10)),
            services: s =>
            {
                hooks.Register(s);
                s.AddSingleton<IIncomingGrainCallFilter>(secondWaiting);
            });
        var spec = TestSpecs.Small("extended-twice", [0.1], epochs: 4);
        var sweep = cluster.Sweep(spec.Name);
        await sweep.SubmitAsync(spec);
        await cluster.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));
        await QuietAsync(cluster, hooks);   // the next write is the extension's own

        var (writing, write) = HoldNextLedgerWrite(hooks);
        var grown = spec with { LearningRates = [0.1, 0.01] };
        var first = sweep.ExtendAsync(grown);
        await writing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(SweepState.Running, (await sweep.GetStatusAsync())!.State);   // the held write is the extension's
        var second = sweep.ExtendAsync(grown);
        // The second has found the grown spec and waits on the first one's write (a fixed half second for that would,
        // on a loaded machine, let the write fail first: the second would then extend on its own, and prove nothing).
        await secondWaiting.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        write.SetException(new IOException("the disk is full"));
        await Assert.ThrowsAnyAsync<Exception>(() => first);
        Assert.Equal(1, (await second.WaitAsync(TimeSpan.FromSeconds(30))).AddedCells);

        var done = await cluster.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));
        Assert.Equal([(0.01, CellState.Completed), (0.1, CellState.Completed)],
            done.Cells.Select(c => (c.Config.LearningRate, c.State)).Order().ToList());
    }

    /// <summary>Holds the next write of the sweep's ledger: <c>Writing</c> is set when it comes, and it goes on (or fails)
    /// as <c>Write</c> does; later writes pass.</summary>
    private static (TaskCompletionSource Writing, TaskCompletionSource Write) HoldNextLedgerWrite(StorageHooks hooks)
    {
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hooks.BeforeWrite = (_, id) =>
            id.Type.ToString() == SweepCoordinatorGrain.GrainTypeName && writing.TrySetResult() ? write.Task : Task.CompletedTask;
        return (writing, write);
    }

    /// <summary>Waits until the sweep's packs have let their slots go and its ledger has not been written for a second:
    /// the pack ends' folds and scheduled writes are done, so the next write is the one the test holds.</summary>
    private static async Task QuietAsync(SweepCluster cluster, StorageHooks hooks)
    {
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); (await ledger.GetReservationsAsync()).Count > 0; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline, "the sweep's packs kept their slots");
        long last = DateTime.UtcNow.Ticks;
        hooks.BeforeWrite = (_, id) =>
        {
            if (id.Type.ToString() == SweepCoordinatorGrain.GrainTypeName) Interlocked.Exchange(ref last, DateTime.UtcNow.Ticks);
            return Task.CompletedTask;
        };
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow.Ticks - Interlocked.Read(ref last) < TimeSpan.TicksPerSecond; await Task.Delay(100))
            Assert.True(DateTime.UtcNow < deadline, "the sweep's ledger kept being written");
    }
}
