using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Placement;

/// <summary>A GPU pack with checkpoints less often than every epoch keeps its rollback copy (weights and optimizer state)
/// in host memory, so its silo counts that copy in its memory for packs: a silo with many GPU slots cannot pile copies
/// up past the machine's memory unseen. With checkpoints every epoch it keeps none and holds nothing there.</summary>
public sealed class GpuPackHostMemoryTests
{
    [Fact]
    public void TheHostBytes_AreTheCopyOfWeightsAndOptimizerState_AndNoneWithCheckpointsEveryEpoch()
    {
        var sgd = TestSpecs.Small("host", [0.1]);   // checkpointEvery 2
        // Of SGD's five tensors (weights, gradient, momentum, and the copy of weights and momentum) the copy is two.
        Assert.Equal(PackMemory.TrainingBytes(Work(sgd)) * 2 / 5, PackMemory.GpuHostBytes(Work(sgd)));
        // Of AdamW's seven (weights, gradient, two moments, and their copy) three.
        var adamw = sgd with { Optimizers = ["adamw"] };
        Assert.Equal(PackMemory.TrainingBytes(Work(adamw)) * 3 / 7, PackMemory.GpuHostBytes(Work(adamw)));
        Assert.Equal(0, PackMemory.GpuHostBytes(Work(sgd with { CheckpointEvery = 1 })));
    }

    /// <summary>The ledger counts the GPU packs' copies against the silo's memory: while the first pack's copy holds it, the
    /// second is granted no GPU slot, though one is free, and trains once the first has ended.</summary>
    [Fact]
    public async Task TwoGpuPacksWhoseCopiesDoNotFitTheSilosMemory_TrainOneAfterTheOther_TheSecondWaitingForRoom()
    {
        var spec = TestSpecs.Small("gpu-host", [0.1, 0.01], epochs: 16);   // two one-cell packs of one size
        long copy = PackMemory.GpuHostBytes(Work(spec));
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var gate = new EpochGate();
        var logs = new LogCapture();
        await using var cluster = await SweepCluster.StartAsync([new SiloSpec(2, CpuMemoryBytes: copy * 3 / 2)], silo => gate.For(silo, trainer),
            services: s => s.AddSingleton<ILoggerProvider>(logs));
        // The first pack holds its GPU slot at its first epoch while the second waits.
        gate.Pause();
        await cluster.Sweep("gpu-host").SubmitAsync(spec);
        var waiting = await cluster.WaitForAsync("gpu-host", s => s.Waiting?.Contains("with room") == true, TimeSpan.FromSeconds(30),
            "status never said that the second GPU pack waits for a slot with room for its copy");
        Assert.StartsWith("1 pack waits for a slot with room for them: 1 slot is free", waiting.Waiting);
        Assert.Equal(1, waiting.Count(CellState.Running));
        gate.Resume();

        var done = await cluster.WaitForFinishAsync("gpu-host", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, done.State);
        Curves.AssertUninterrupted(await cluster.Sweep("gpu-host").GetCurvesAsync(null), spec, trainer);
        Assert.Empty(logs.Matching("waits for memory"));
        Assert.Empty(logs.Matching("not started, re-queued"));
    }

    /// <summary>Placement ranked GPU slots by free slots alone: the silo with the most, whose memory could not hold the
    /// pack's copy, refused it, and the moved pack was placed there again, every few seconds, while the other silo had room.</summary>
    [Fact]
    public async Task AGpuPack_GoesToTheSiloWhoseMemoryHoldsItsCopy_NotToTheOneWithMoreFreeGpus()
    {
        var spec = TestSpecs.Small("gpu-room", [0.1], epochs: 4);
        long copy = PackMemory.GpuHostBytes(Work(spec));
        Assert.True(copy > 0);
        var logs = new LogCapture();
        await using var cluster = await SweepCluster.StartAsync(
            [new SiloSpec(3, CpuMemoryBytes: copy / 2), new SiloSpec(1, CpuMemoryBytes: copy * 3)],
            _ => new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10)), services: s => s.AddSingleton<ILoggerProvider>(logs));
        await cluster.Sweep("gpu-room").SubmitAsync(spec);

        Assert.Equal(SweepState.Completed, (await cluster.WaitForFinishAsync("gpu-room", TimeSpan.FromSeconds(30))).State);
        Assert.Empty(logs.Matching("waits for memory"));
        Assert.EndsWith("of Silo_1", Assert.Single(logs.Matching("starting on cuda:")));
    }

    [Fact]
    public async Task GpuPacksWithCheckpointsEveryEpoch_HoldNoHostMemory_AndTrainAtOnceWhateverTheSilosMemory()
    {
        var spec = TestSpecs.Small("gpu-nocopy", [0.1, 0.01], epochs: 4) with { CheckpointEvery = 1 };
        var gate = new EpochGate();
        var logs = new LogCapture();
        await using var cluster = await SweepCluster.StartAsync([new SiloSpec(2, CpuMemoryBytes: 1)],
            silo => gate.For(silo, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30))), services: s => s.AddSingleton<ILoggerProvider>(logs));
        gate.Pause();
        await cluster.Sweep("gpu-nocopy").SubmitAsync(spec);
        await cluster.WaitForAsync("gpu-nocopy", s => s.Count(CellState.Running) == 2, TimeSpan.FromSeconds(30), "both GPU packs did not start");
        gate.Resume();
        Assert.Equal(SweepState.Completed, (await cluster.WaitForFinishAsync("gpu-nocopy", TimeSpan.FromSeconds(30))).State);
        Assert.Empty(logs.Matching("waits for memory"));
    }

    private static PackWork Work(SweepSpec spec) => SweepGrid.Expand(spec).Packs[0].ToWork(spec, null);
}
