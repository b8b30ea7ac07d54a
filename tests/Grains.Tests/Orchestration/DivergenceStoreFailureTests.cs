using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A cell of a pack diverges while the pack's own state cannot be stored (the store down for a moment): the
/// divergence is still told to the sweep in the cell's records, and the pack's other cells train on to completion.
/// Before, the failed write failed the whole pack: every cell that had not diverged ended failed.</summary>
public sealed class DivergenceStoreFailureTests
{
    [Fact]
    public async Task ACellDivergingWhileThePacksStateCannotBeStored_FailsNoOtherCell()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20), divergeAtLearningRate: 0.5);   // from epoch 2
        var spec = TestSpecs.Small("diverged-unstored", [0.1, 1.0], epochs: 6, packing: PackingMode.Lr);      // one pack of two
        var gate = new EpochGate();
        var logs = new LogCapture();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer),
            services: s => s.AddSingleton<ILoggerProvider>(logs));
        gate.HoldAfter(EpochGate.AnySilo, 1);
        await cluster.Sweep(spec.Name).SubmitAsync(spec);
        await gate.WaitHeldAsync("the pack was not held");

        // Pack states cannot be written from here: a file where their directory belongs.
        var packStates = Path.Combine(cluster.StateDirectory, "gg-training");
        if (Directory.Exists(packStates)) Directory.Move(packStates, packStates + ".aside");
        await File.WriteAllTextAsync(packStates, "not a directory");
        gate.Release();

        var done = await cluster.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));
        Assert.Equal(CellState.Completed, done.Cells.Single(c => c.Config.LearningRate == 0.1).State);
        var diverged = done.Cells.Single(c => c.Config.LearningRate == 1.0);
        Assert.Equal((CellState.Diverged, 2), (diverged.State, diverged.Epoch));
        Assert.Single(logs.Matching("storing that a cell diverged failed"));
    }
}
