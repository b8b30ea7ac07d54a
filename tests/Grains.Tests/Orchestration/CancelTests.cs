using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A cancel keeps what the cells reached: status shows where each cancelled cell stopped, whether it was
/// training at the time or waiting for a slot after an interruption.</summary>
public sealed class CancelTests
{
    [Fact]
    public async Task Cancel_OfCellsQueuedAgainAfterTheirSiloLeft_ShowsWhereTheyStopped()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var hold = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining, SiloSpec.Cpu(2)], s => hold.For(s, trainer));
        hold.HoldAfter("Silo_1", 4);   // the packs wait there until the silo's stop stops them: it lands mid-pack for certain
        var sweep = cluster.Sweep("requeued");
        await sweep.SubmitAsync(TestSpecs.Small("requeued", [0.1, 0.01], epochs: 500));
        await cluster.WaitForAsync("requeued", s => s.Cells.All(c => c.Epoch >= 4), TimeSpan.FromSeconds(30), "did not get going");

        // The only training silo leaves: its packs stop with a checkpoint and their cells wait for a slot again.
        await cluster.Cluster.StopSiloAsync(cluster.Cluster.Silos.Single(s => s.Name == "Silo_1"));
        await cluster.WaitForAsync("requeued", s => s.Cells.All(c => c.State == CellState.Queued), TimeSpan.FromSeconds(30),
            "cells were not queued again");
        await sweep.CancelAsync();

        var status = (await sweep.GetStatusAsync())!;
        var curves = (await sweep.GetCurvesAsync(null)).ToDictionary(c => c.CellId);
        Assert.Equal(2, status.Cells.Count);
        foreach (var cell in status.Cells)
        {
            Assert.Equal(CellState.Cancelled, cell.State);
            var last = curves[cell.CellId].Records[^1];
            Assert.NotNull(cell.TrainAccuracy);
            Assert.Equal((last.Epoch, last.TrainAccuracy, last.TestAccuracy, (double?)last.TrainLoss),
                (cell.Epoch, cell.TrainAccuracy, cell.TestAccuracy, cell.TrainLoss));
        }
    }
}
