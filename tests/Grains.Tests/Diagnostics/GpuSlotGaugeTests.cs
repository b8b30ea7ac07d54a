using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Diagnostics;

/// <summary>The slot gauges follow the silos: each training silo exports its own slots (and a CPU silo its memory for CPU
/// packs) from start to stop, with no sweep needed to make them appear, what its packs hold while they train, and
/// nothing once it has left.
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

    [Fact]
    public async Task ACpuSiloExportsWhatItsPacksHoldOfItsMemoryForThem_WhileTheyTrain_AndNothingOnceItLeaves()
    {
        var spec = TestSpecs.Small("memory", [0.1, 0.01], epochs: 3);   // two one-cell packs of one size
        long pack = TestSpecs.FirstPackBytes(spec), limit = 1L << 30;
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining, SiloSpec.Cpu(2, limit)],
            silo => gate.For(silo, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20))));

        // Before any sweep: the CPU silo's limit, nothing held; the silo without slots exports nothing.
        Assert.Equal([$"Silo_1 held 0 of {limit}"], Memory());
        var machineFree = GaugeReadings.Read<long>(MetricNames.MachineMemoryFree).Select(r => ((string)r.Tags["silo"]!, r.Value)).ToList();
        Assert.Equal("Silo_1", Assert.Single(machineFree).Item1);
        Assert.InRange(machineFree[0].Value, 1, CpuPackMemory.MachineBytes * 2);   // physical memory's figure, and within reach of it
        gate.Pause();   // both packs hold their memory at their first epoch
        await cluster.Sweep("memory").SubmitAsync(spec);
        await Waiting(() => Memory().SequenceEqual([$"Silo_1 held {2 * pack} of {limit}"]), Memory);
        gate.Resume();
        await cluster.WaitForFinishAsync("memory", TimeSpan.FromSeconds(30));
        await Waiting(() => Memory().SequenceEqual([$"Silo_1 held 0 of {limit}"]), Memory);

        await cluster.Cluster.StopSiloAsync(cluster.Cluster.Silos.Single(s => s.Name == "Silo_1"));
        Assert.Empty(Memory());
    }

    /// <summary>What the CPU memory gauges report now, as "silo held H of L".</summary>
    private static List<string> Memory()
    {
        var held = new Dictionary<string, long>();
        var limit = new Dictionary<string, long>();
        foreach (var (instrument, value, tags) in GaugeReadings.Read<long>(MetricNames.CpuMemoryHeld, MetricNames.CpuMemoryLimit))
            (instrument == MetricNames.CpuMemoryHeld ? held : limit)[(string)tags["silo"]!] = value;
        return held.Keys.Order(StringComparer.Ordinal).Select(k => $"{k} held {held[k]} of {limit.GetValueOrDefault(k, -1)}").ToList();
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

    private static async Task Waiting(Func<bool> condition, Func<List<string>>? readings = null)
    {
        for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until; await Task.Delay(50))
            if (condition()) return;
        Assert.Fail("gauges did not settle: " + string.Join(", ", (readings ?? Slots)()));
    }
}

/// <summary>Runs alone: every in-process test silo publishes into the same process-wide gauges.</summary>
[CollectionDefinition(nameof(GpuSlotGaugeTests), DisableParallelization = true)]
public sealed class GpuSlotGaugeCollection;
