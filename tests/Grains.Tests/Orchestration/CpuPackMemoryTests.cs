using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A silo starts a CPU pack only while the packs on its CPU, it included, hold no more than the machine's memory,
/// and the pack fits what the machine has free: one that would not fit is re-queued with the reason, and trains once the
/// others have ended.</summary>
public sealed class CpuPackMemoryTests
{
    [Fact]
    public void Holds_AddUpToTheCapacity_AndARefusalSaysWhatEachHolds()
    {
        var memory = new CpuPackMemory(100, () => null);   // the machine's figure unknown: the budget alone
        GrainId a = GrainId.Create("t", "a"), b = GrainId.Create("t", "b");
        Assert.Null(memory.TryHold(a, 60, "weights"));
        Assert.Equal("it holds at least 60 B (weights), the 1 pack training on this silo holds 60 B of its memory for packs, " +
                     "100 B: it waits for some to end", memory.TryHold(b, 60, "weights")?.Reason);
        Assert.Null(memory.TryHold(a, 70, "weights"));          // a restart of the same pack replaces its own hold
        memory.Release(a);
        Assert.Null(memory.TryHold(b, 60, "weights"));
        Assert.Null(memory.TryHold(a, 40, "weights"));          // exactly full
        memory.Release(a);
        memory.Release(b);
        Assert.Equal("it holds at least 101 B (weights), more than this silo's memory for packs, 100 B: it can train only on a " +
                     "silo with more, or as a smaller pack (a smaller model, checkpointEvery: 1, or packing: none)", memory.TryHold(a, 101, "weights")?.Reason);
    }

    [Fact]
    public void APackWithinTheBudget_MustAlsoFitTheMachinesFreeMemory_ReadAtEachStart()
    {
        long? free = 100;
        var memory = new CpuPackMemory(1000, () => free);
        GrainId a = GrainId.Create("t", "a"), b = GrainId.Create("t", "b");
        Assert.Null(memory.TryHold(a, 100, "weights"));        // exactly what is free
        Assert.Equal(new MemoryRefusal("it holds at least 101 B (weights), and this machine has 100 B free (the rest is in use: by " +
                     "this silo's packs, other processes, any other silo on it): it waits until that much is free", 100), memory.TryHold(b, 101, "weights"));
        Assert.Equal(100, memory.HeldBytes);                    // the refused pack holds nothing
        free = 500;                                             // another process ended
        Assert.Null(memory.TryHold(b, 101, "weights"));
        free = null;                                            // unknown: the budget alone decides
        Assert.Null(memory.TryHold(b, 900, "weights"));
        // The silo's own budget is told first: its refusal says which packs to wait for.
        free = 10;
        var budget = memory.TryHold(b, 901, "weights");
        Assert.StartsWith("it holds at least 901 B (weights), the 1 pack training on this silo holds 100 B", budget?.Reason);
        Assert.Null(budget?.MachineFreeBytes);
    }

    [Fact]
    public async Task APackLargerThanTheMachinesFreeMemory_WaitsThoughTheSilosBudgetHasRoom()
    {
        // About 2^31 weights, the most one pack may have, with AdamW and a rollback copy: 28 bytes each, some 59 GB.
        // Never allocated (the no-op trainer). The silo's budget is four times that, and its machine is given half of it
        // free, so only the machine's figure can refuse, whatever the machine running the test has.
        var spec = TestSpecs.Small("huge", [0.1], epochs: 2) with { Model = new ModelSpec(2, 46_000), Optimizers = ["adamw"] };
        long pack = TestSpecs.FirstPackBytes(spec);
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1, pack * 4) with { MachineFreeBytes = pack / 2 }], _ => trainer);
        await cluster.Sweep("huge").SubmitAsync(spec);

        var status = await cluster.WaitForAsync("huge", s => s.Waiting?.Contains("and this machine has") == true,
            TimeSpan.FromSeconds(30), "status did not say the pack waits for the machine's memory");
        Assert.Contains($"it holds at least {Units.Bytes(pack)}", status.Waiting);
        Assert.Contains($"this machine has {Units.Bytes(pack / 2)} free", status.Waiting);
        Assert.Equal(0, status.Count(CellState.Running));
        Assert.Null(status.Problem);
        Assert.Equal(0, trainer.Opened);
    }

    /// <summary>The ledger counts the silo's memory for packs: while the first pack holds it, the second is granted no slot
    /// (before, it was placed beside it, refused, re-queued and placed there again every two seconds), status says why it
    /// waits, and it trains once the first has ended.</summary>
    [Fact]
    public async Task TwoPacksWhereOneFits_TrainOneAfterTheOther_TheSecondWaitingForRoomInTheQueue()
    {
        var spec = TestSpecs.Small("tight", [0.1, 0.01], epochs: 16);   // two one-cell packs of the same size
        long packBytes = TestSpecs.FirstPackBytes(spec);
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var gate = new EpochGate();
        var logs = new LogCapture();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], silo => gate.For(silo, trainer),
            configure: o => o.CpuTrainingMemoryBytes = packBytes * 3 / 2, services: s => s.AddSingleton<ILoggerProvider>(logs));
        var sweep = cluster.Sweep("tight");
        // The first pack holds its memory at its first epoch while the second waits beside it (both slots are free).
        gate.Pause();
        await sweep.SubmitAsync(spec);
        var waiting = await cluster.WaitForAsync("tight", s => s.Waiting?.Contains("with room") == true, TimeSpan.FromSeconds(30),
            "status never said that the second pack waits for a slot with room for it");
        Assert.Equal("1 pack waits for a slot with room for them: 1 slot is free, on silos whose memory for packs (cpu.memory) " +
                     "the packs training there hold", waiting.Waiting);
        Assert.Equal(1, waiting.Count(CellState.Running));
        await Task.Delay(TimeSpan.FromSeconds(3));   // more than a memory wait's retry: a pack placed and refused would show by now
        gate.Resume();

        var done = await cluster.WaitForFinishAsync("tight", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, done.State);
        Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), spec, trainer);
        Assert.Empty(logs.Matching("waits for memory"));
        Assert.Empty(logs.Matching("not started, re-queued"));
    }

    [Fact]
    public async Task APackLargerThanTheMachine_IsNeverStarted_AndStatusSaysWhyItWaits()
    {
        var spec = TestSpecs.Small("too-large", [0.1], epochs: 4);
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, configure: o => o.CpuTrainingMemoryBytes = 1);
        var sweep = cluster.Sweep("too-large");
        await sweep.SubmitAsync(spec);
        var status = await cluster.WaitForAsync("too-large", s => s.Waiting?.Contains("more than this silo's memory for packs, 1 B") == true,
            TimeSpan.FromSeconds(30), "status did not say why the pack waits");
        Assert.StartsWith("pack ", status.Waiting);
        Assert.Null(status.Problem);
        Assert.Equal(0, status.Count(CellState.Completed));
        Assert.Equal(0, status.Count(CellState.Running));
    }
}
