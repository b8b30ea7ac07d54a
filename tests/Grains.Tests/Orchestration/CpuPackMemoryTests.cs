using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Sweeps;
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
        Assert.Null(memory.TryHold(a, 60));
        Assert.Equal("not enough memory for it on this silo's CPU: it holds at least 60 B (weights, gradient and optimizer state), " +
                     "the 1 pack(s) training there 60 B, and the machine has 100 B", memory.TryHold(b, 60));
        Assert.Null(memory.TryHold(a, 70));                     // a restart of the same pack replaces its own hold
        memory.Release(a);
        Assert.Null(memory.TryHold(b, 60));
        Assert.Null(memory.TryHold(a, 40));                     // exactly full
        memory.Release(a);
        memory.Release(b);
        Assert.Equal("not enough memory for it on this silo's CPU: it holds at least 101 B (weights, gradient and optimizer state) " +
                     "and the machine has 100 B", memory.TryHold(a, 101));
    }

    [Fact]
    public async Task TwoPacksWhereOneFits_TrainOneAfterTheOther_AndTheRefusalIsLogged()
    {
        var spec = TestSpecs.Small("tight", [0.1, 0.01], epochs: 16);   // two one-cell packs of the same size
        long packBytes = PackMemory.TrainingBytes(SweepGrid.Expand(spec).Packs[0].ToWork(spec, null));
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
        var refusals = logs.Matching("not enough memory for it on this silo's CPU");
        Assert.NotEmpty(refusals);
        Assert.Contains($"it holds at least {Units.Bytes(packBytes)} (weights, gradient and optimizer state), the 1 pack(s) training there", refusals[0]);
    }

    [Fact]
    public async Task APackLargerThanTheMachine_IsNeverStarted_AndStatusSaysWhy()
    {
        var spec = TestSpecs.Small("too-large", [0.1], epochs: 4);
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, configure: o => o.CpuTrainingMemoryBytes = 1);
        var sweep = cluster.Sweep("too-large");
        await sweep.SubmitAsync(spec);
        var status = await cluster.WaitForAsync("too-large", s => s.Problem?.Contains("not enough memory") == true, TimeSpan.FromSeconds(30),
            "status did not say why the pack is not started");
        Assert.Contains("and the machine has 1 B", status.Problem);
        Assert.Equal(0, status.Count(CellState.Completed));
        Assert.Equal(0, status.Count(CellState.Running));
    }
}
