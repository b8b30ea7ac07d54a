using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>Real TorchSharp training (synthetic set, width 16) through the grains.</summary>
public sealed class RealTrainingTests
{
    private static SweepSpec Spec(string name, int epochs) => new(
        name, new DataSpec("synthetic", Train: 512, Test: 128, Features: 16), new ModelSpec(2, 16),
        ["backprop", "wt"], ["sgd", "adamw"], [1e-2, 1e2], [0], epochs, BatchSize: 64, CheckpointEvery: 3, Packing: PackingMode.Lr,
        Diagnostics: new DiagnosticsSpec(CosineEvery: 3));   // the cosines and projection resume bit for bit too

    [Fact]
    public async Task RealSweep_WithASiloKilledMidway_GivesBitIdenticalCurvesAndEndsSgdAtLr100AsDiverged()
    {
        TorchRuntime.SetThreads(1);
        var real = new PackTrainerFactory();
        var spec = Spec("real", epochs: 10);
        var expected = Curves.Uninterrupted(spec, real);
        var log = new TrainingLog();
        var slow = new SlowTrainerFactory(real, TimeSpan.FromMilliseconds(60));
        var freeze = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining, SiloSpec.Cpu(2), SiloSpec.Cpu(2)],
            s => freeze.For(s, log.For(s, slow)));

        // Silo_1's packs stop for good after epoch 4 (of 10, past their checkpoint at 3): whenever the kill comes, it
        // finds them mid-curve, where on a loaded machine they could have finished before it.
        freeze.FreezeAfter("Silo_1", 4);
        await cluster.Sweep("real").SubmitAsync(spec);
        await cluster.WaitForAsync("real", s => s.Cells.Sum(c => c.Epoch) >= 8 && log.Opened.Any(o => o.Silo == "Silo_1"),
            TimeSpan.FromSeconds(60), "did not get going");
        freeze.Freeze("Silo_1");                                 // a crash: its packs neither report nor checkpoint again
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos.Single(s => s.Name == "Silo_1"));
        var status = await cluster.WaitForFinishAsync("real", TimeSpan.FromSeconds(120));

        Assert.Equal(SweepState.Completed, status.State);
        var curves = await cluster.Sweep("real").GetCurvesAsync(null);
        foreach (var curve in curves) Curves.AssertIdentical(expected[curve.CellId], curve.Records, curve.CellId);
        // W^T guesses with SGD at LR 1e2 blow up to NaN in the first epoch (backprop/SGD there stays finite, if useless).
        var sgdHigh = status.Cells.Single(c => c.Config is { Method: "wt", Optimizer: "sgd", LearningRate: 1e2 });
        Assert.Equal(CellState.Diverged, sgdHigh.State);
        Assert.True(curves.Single(c => c.CellId == sgdHigh.CellId).Records[^1].Diverged);
        Assert.All(status.Cells.Where(c => c.Config.LearningRate == 1e-2), c => Assert.Equal(CellState.Completed, c.State));
        var results = (await cluster.Sweep("real").GetResultsAsync(selection: null))!;
        var wtSgd = results.Rows.Single(r => r is { Method: "wt", Optimizer: "sgd" });
        Assert.Equal(1e-2, wtSgd.BestLearningRate);   // the diverged LR is out of the running
        Assert.Contains("diverged", wtSgd.Note);
    }
}
