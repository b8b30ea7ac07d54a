using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A running cell's accuracies in status are those of its latest evaluated epoch. With evaluateEvery above 1 the
/// latest epoch has none on most epochs, and status showed none (watch's columns flickered between a value and "-").</summary>
public sealed class EvaluatedStatusTests
{
    [Fact]
    public async Task ARunningCell_ShowsTheAccuraciesOfItsLatestEvaluatedEpoch()
    {
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], silo => gate.For(silo, new NoOpPackTrainerFactory()));
        gate.HoldAfter(EpochGate.AnySilo, 4);   // epoch 3 evaluated, epoch 4 not
        await cluster.Sweep("sparse").SubmitAsync(TestSpecs.Small("sparse", [0.1], epochs: 30) with { EvaluateEvery = 3 });
        await gate.WaitHeldAsync("the pack after four epochs");

        var cell = await cluster.WaitForAsync("sparse", s => s.Cells.Single().Epoch == 4, TimeSpan.FromSeconds(30), "did not store epoch 4");
        var curve = (await cluster.Sweep("sparse").GetCurvesAsync(null)).Single().Records;
        Assert.Null(curve[3].TrainAccuracy);
        var running = cell.Cells.Single();
        Assert.NotNull(running.TrainAccuracy);
        Assert.Equal((curve[2].TrainAccuracy, curve[2].TestAccuracy), (running.TrainAccuracy, running.TestAccuracy));
        Assert.Equal(curve[3].TrainLoss, running.TrainLoss);   // the loss is every epoch's
        gate.Release();
    }
}
