using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

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
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)],
            silo => gate.For(silo, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10))), services: hooks.Register);
        var spec = TestSpecs.Small("revived", [0.1, 0.05], epochs: 40);   // two packs, one slot: the sweep asks for more
        var sweep = cluster.Sweep("revived");
        gate.HoldAfter(EpochGate.AnySilo, 2);   // the pack's third epoch is a long one: it reports nothing until released
        await sweep.SubmitAsync(spec);
        await gate.WaitHeldAsync("the pack after two epochs");

        var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hooks.BeforeWrite = (_, id) =>
        {
            if (id.Type.ToString() != SweepCoordinatorGrain.GrainTypeName) return Task.CompletedTask;
            writing.TrySetResult();
            return write.Task;
        };
        var cancel = sweep.CancelAsync();
        await writing.Task.WaitAsync(TimeSpan.FromSeconds(30));   // the cancel waits on its ledger write
        var extend = sweep.ExtendAsync(spec with { LearningRates = [0.1, 0.05, 0.01] });
        await Task.Delay(1000);                                    // and the extension behind it (it flushes first)
        hooks.BeforeWrite = null;
        write.SetResult();
        Assert.Equal(2, await cancel);
        Assert.Equal(1, (await extend).AddedCells);
        Assert.Equal(1, gate.Held);                                // no stop reached the pack: the sweep read running again
        gate.Release();

        var status = await cluster.WaitForFinishAsync("revived", TimeSpan.FromSeconds(60));
        var cancelled = status.Cells.Single(c => c.Config.LearningRate == 0.1);
        Assert.Equal(CellState.Cancelled, cancelled.State);
        Assert.True(cancelled.Epoch < 20, $"the cancelled cell trained on to epoch {cancelled.Epoch}");
        Assert.Equal((CellState.Cancelled, 0), status.Cells.Where(c => c.Config.LearningRate == 0.05).Select(c => (c.State, c.Epoch)).Single());
        var added = status.Cells.Single(c => c.Config.LearningRate == 0.01);
        Assert.Equal((CellState.Completed, 40), (added.State, added.Epoch));
    }
}
