using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A silo starts a CPU pack only while the packs on its CPU, it included, hold no more than the machine's memory:
/// one that would not fit is re-queued with the reason, and trains once the others have ended.</summary>
public sealed class CpuPackMemoryTests
{
    [Fact]
    public void Holds_AddUpToTheCapacity_AndARefusalSaysWhatEachHolds()
    {
        var memory = new CpuPackMemory(100);
        GrainId a = GrainId.Create("t", "a"), b = GrainId.Create("t", "b");
        Assert.Null(memory.TryHold(a, 60, "weights"));
        Assert.Equal("it holds at least 60 B (weights), the 1 pack(s) training on this silo's CPU hold 60 B, and its memory for CPU " +
                     "packs is 100 B: it waits for some to end", memory.TryHold(b, 60, "weights"));
        Assert.Null(memory.TryHold(a, 70, "weights"));          // a restart of the same pack replaces its own hold
        memory.Release(a);
        Assert.Null(memory.TryHold(b, 60, "weights"));
        Assert.Null(memory.TryHold(a, 40, "weights"));          // exactly full
        memory.Release(a);
        memory.Release(b);
        Assert.Equal("it holds at least 101 B (weights), more than this silo's memory for CPU packs, 100 B: it can train only on a " +
                     "silo with more, or as a smaller pack (a smaller model, checkpointEvery: 1, or packing: none)", memory.TryHold(a, 101, "weights"));
    }

    [Fact]
    public async Task TwoPacksWhereOneFits_TrainOneAfterTheOther_AndTheRefusalIsLogged()
    {
        var spec = TestSpecs.Small("tight", [0.1, 0.01], epochs: 16);   // two one-cell packs of the same size
        long packBytes = TestSpecs.FirstPackBytes(spec);
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var logs = new LogCapture();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer,
            configure: o => o.CpuTrainingMemoryBytes = packBytes * 3 / 2, services: s => s.AddSingleton<ILoggerProvider>(logs));
        var sweep = cluster.Sweep("tight");
        await sweep.SubmitAsync(spec);

        var done = await cluster.WaitForFinishAsync("tight", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, done.State);
        Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), spec, trainer);
        // Both slots were free at the start, so the second pack was placed beside the first and refused there.
        // A wait, not a failed start: logged as one, and never the sweep's problem.
        var waits = logs.Matching("waits for memory, re-queued");
        Assert.NotEmpty(waits);
        Assert.Contains($"it holds at least {Units.Bytes(packBytes)} (weights, gradient and optimizer state, and their copy for a stop " +
                        "mid-epoch to roll back to), the 1 pack(s) training on this silo's CPU hold", waits[0]);
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
        var status = await cluster.WaitForAsync("too-large", s => s.Waiting?.Contains("more than this silo's memory for CPU packs, 1 B") == true,
            TimeSpan.FromSeconds(30), "status did not say why the pack waits");
        Assert.StartsWith("pack ", status.Waiting);
        Assert.Null(status.Problem);
        Assert.Equal(0, status.Count(CellState.Completed));
        Assert.Equal(0, status.Count(CellState.Running));
    }
}
