using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A pack whose start the coordinator took for failed (the call timed out) may have started after all: once it
/// reports epochs its cells count as running, so the sweep does not ask the slot ledger for a slot that pack holds.</summary>
public sealed class LateStartTests
{
    [Fact]
    public async Task AQueuedPackThatReports_CountsAsRunning()
    {
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5))));
        gate.HoldAfter(EpochGate.AnySilo, 2);
        var sweep = cluster.Sweep("late");
        await sweep.SubmitAsync(TestSpecs.Small("late", [0.1, 0.01], epochs: 20));   // two packs, one slot
        await gate.WaitHeldAsync("the first pack was not held");
        var queued = (await sweep.GetStatusAsync())!.Cells.Single(c => c.State == CellState.Queued);
        var incarnation = (await cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync()).Single().Incarnation;

        // What that pack's grain sends once it trains: its first epoch.
        var record = new EpochRecord(queued.CellId, 1, 1.0, 0.5, 0.4, null, null, null, 0.1, 0.01, 100, false);
        Assert.False((await sweep.ReportEpochsAsync(queued.PackId, incarnation, [record])).Stop);

        var after = (await sweep.GetStatusAsync())!;
        Assert.All(after.Cells, c => Assert.Equal(CellState.Running, c.State));
        Assert.Equal(1, after.Cells.Single(c => c.CellId == queued.CellId).Epoch);
        await sweep.CancelAsync();
        gate.Release();
    }
}
