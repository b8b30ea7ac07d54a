using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Placement;

/// <summary>The slot ledger's view for <c>gradguess slots</c>: every active silo's devices, the packs holding their
/// slots, and the sweeps waiting for one.</summary>
public sealed class ClusterSlotsTests
{
    [Fact]
    public async Task TheView_NamesThePacksHoldingEachSlot_AndTheSweepWaiting_ThenFreeSlotsOnceItEnds()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        var hold = new EpochGate();
        hold.HoldAfter(EpochGate.AnySilo, 2);
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2, 1L << 30), SiloSpec.NoTraining], s => hold.For(s, trainer));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var spec = TestSpecs.Small("slots-view", [0.1, 0.01, 0.001], epochs: 4);   // three one-cell packs of one size
        long packBytes = TestSpecs.FirstPackBytes(spec);
        await cluster.Sweep("slots-view").SubmitAsync(spec);
        await hold.WaitHeldAsync("the first two packs", packs: 2);

        var busy = await ledger.GetSlotsAsync();
        // The third pack asks for a slot on its coordinator's next admission pass, which under load can come after the
        // first two have trained to the hold (a CI run read the ledger before it): waited for, as the gauges below are.
        for (var deadline = DateTime.UtcNow.AddSeconds(10); busy.Waiting.Count == 0 && DateTime.UtcNow < deadline; busy = await ledger.GetSlotsAsync())
            await Task.Delay(100);
        Assert.Equal(["Silo_0", "Silo_1"], busy.Silos.Select(s => s.Silo));
        var cpu = Assert.Single(busy.Silos[0].Devices);
        Assert.Equal(("cpu", 2), (cpu.Device, cpu.Slots));
        Assert.Equal(2, cpu.Held.Count);
        Assert.Equal((1L << 30, 2 * packBytes), (cpu.MemoryBytes, cpu.HeldBytes));   // the silo's memory for CPU packs, and theirs
        Assert.All(cpu.Held, h => Assert.Equal(("slots-view", true, (string?)null), (h.Sweep, h.Training, h.YieldingTo)));
        var status = (await cluster.Sweep("slots-view").GetStatusAsync())!;
        Assert.Equal(status.Cells.Where(c => c.State == CellState.Running).Select(c => c.PackId).Order(), cpu.Held.Select(h => h.Pack).Order());
        Assert.Empty(busy.Silos[1].Devices);   // it only coordinates
        Assert.Equal(TimeSpan.FromMinutes(1), busy.PreemptAfter);   // the default
        var waiting = Assert.Single(busy.Waiting);
        Assert.Equal(("slots-view", 1), (waiting.Sweep, waiting.Packs));
        // The packs-waiting gauge says the same (refreshed on the coordinator's watchdog tick), and 0 once the sweep ends.
        for (var deadline = DateTime.UtcNow.AddSeconds(10); PacksWaitingGauge() != 1 && DateTime.UtcNow < deadline;) await Task.Delay(100);
        Assert.Equal(1, PacksWaitingGauge());
        // So do the slots-held and priority gauges.
        Assert.Equal(2, Gauge(MetricNames.SweepSlotsHeld));
        Assert.Equal(1, Gauge(MetricNames.SweepPriority));

        hold.Release();
        await cluster.WaitForFinishAsync("slots-view", TimeSpan.FromSeconds(60));
        var idle = await ledger.GetSlotsAsync();
        Assert.Empty(Assert.Single(idle.Silos[0].Devices).Held);
        Assert.Equal(0, idle.Silos[0].Devices[0].HeldBytes);
        Assert.Empty(idle.Waiting);
        Assert.Equal(0, PacksWaitingGauge());
        // Published once the completed ledger is written, which status may show a moment before.
        for (var deadline = DateTime.UtcNow.AddSeconds(15); Gauge(MetricNames.SweepSlotsHeld) != 0 && DateTime.UtcNow < deadline;) await Task.Delay(50);
        Assert.Equal(0, Gauge(MetricNames.SweepSlotsHeld));
    }

    private static int? PacksWaitingGauge() => Gauge(MetricNames.SweepPacksWaiting);

    private static int? Gauge(string name) => GaugeReadings.OfSweep<int>(name, "slots-view");
}
