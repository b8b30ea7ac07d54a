using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Diagnostics;

/// <summary>The slot gauges follow the silos: each training silo exports its own slots from start to stop, with no
/// sweep needed to make them appear, the slots its packs hold while they train, and nothing once it has left.
/// (A walkthrough found them missing, or stale for a silo long gone, while the slot ledger that exported them was idle
/// or had moved.)</summary>
[Collection(nameof(GpuSlotGaugeTests))]   // the gauges are process-wide
public sealed class GpuSlotGaugeTests
{
    [Fact]
    public async Task EachSiloExportsItsOwnSlots_InUseWhileItsPacksTrain_AndNoneOnceItLeaves()
    {
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining, SiloSpec.Cpu(1), SiloSpec.Cpu(2)],
            silo => gate.For(silo, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20))));

        // Before any sweep: every training silo's CPU device (-1), all free; the silo without slots exports nothing.
        Assert.Equal(["Silo_1/-1 used 0 free 1", "Silo_2/-1 used 0 free 2"], Slots());

        gate.Pause();   // three packs hold their slots at their first epoch
        await cluster.Sweep("slots").SubmitAsync(TestSpecs.Small("slots", [0.1, 0.01, 0.001], epochs: 3));
        await cluster.WaitForAsync("slots", s => s.Cells.All(c => c.State == Interfaces.Contracts.CellState.Running),
            TimeSpan.FromSeconds(30), "did not start all three packs");
        await Waiting(() => Slots().SequenceEqual(["Silo_1/-1 used 1 free 0", "Silo_2/-1 used 2 free 0"]));
        gate.Resume();
        await cluster.WaitForFinishAsync("slots", TimeSpan.FromSeconds(30));
        await Waiting(() => Slots().SequenceEqual(["Silo_1/-1 used 0 free 1", "Silo_2/-1 used 0 free 2"]));

        await cluster.Cluster.StopSiloAsync(cluster.Cluster.Silos.Single(s => s.Name == "Silo_2"));
        Assert.Equal(["Silo_1/-1 used 0 free 1"], Slots());
    }

    /// <summary>What the slot gauges report now for this test's silos, as "silo/device used U free F".</summary>
    private static List<string> Slots()
    {
        var used = new Dictionary<string, int>();
        var free = new Dictionary<string, int>();
        foreach (var (instrument, value, tags) in GaugeReadings.Read<int>(MetricNames.GpuSlotsUsed, MetricNames.GpuSlotsFree))
            (instrument == MetricNames.GpuSlotsUsed ? used : free)[$"{tags["silo"]}/{tags["device"]}"] = value;
        return used.Keys.Order(StringComparer.Ordinal).Select(k => $"{k} used {used[k]} free {free.GetValueOrDefault(k, -1)}").ToList();
    }

    private static async Task Waiting(Func<bool> condition)
    {
        for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until; await Task.Delay(50))
            if (condition()) return;
        Assert.Fail("slot gauges did not settle: " + string.Join(", ", Slots()));
    }
}

/// <summary>Runs alone: every in-process test silo publishes into the same process-wide gauges.</summary>
[CollectionDefinition(nameof(GpuSlotGaugeTests), DisableParallelization = true)]
public sealed class GpuSlotGaugeCollection;
