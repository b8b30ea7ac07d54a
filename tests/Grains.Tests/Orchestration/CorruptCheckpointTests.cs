using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A pack's checkpoint is damaged between runs: resuming fails the pack with an error that names the file
/// and the way out, and taking that way (moving the file away, resuming) retrains the pack to a whole, unchanged curve.</summary>
public sealed class CorruptCheckpointTests
{
    [Fact]
    public async Task CorruptCheckpoint_FailsThePackWithTheWayOut_AndMovingItAwayRetrainsToTheSameCurve()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var spec = TestSpecs.Small("damaged", [0.1], epochs: 16) with { CheckpointEvery = 2 };
        var hold = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => hold.For(s, trainer));
        hold.HoldAfter(cluster.Cluster.Silos.Single().Name, 6);   // the cancel lands mid-pack, however slow the machine
        var sweep = cluster.Sweep("damaged");
        await sweep.SubmitAsync(spec);
        await cluster.WaitForAsync("damaged", s => s.Cells.Single().Epoch >= 6, TimeSpan.FromSeconds(30), "did not get going");
        await sweep.CancelAsync();
        hold.Release();
        var cancelled = await cluster.WaitForFinishAsync("damaged", TimeSpan.FromSeconds(30));
        Assert.Equal(CellState.Cancelled, cancelled.Cells.Single().State);
        // Once the pack has stopped, the cancelled cell shows where it stopped, read from its stored curve.
        var stopped = (await cluster.WaitForAsync("damaged", s => s.Cells.Single().TrainAccuracy is not null, TimeSpan.FromSeconds(10),
            "kept no accuracy for its cancelled cell")).Cells.Single();
        var stored = (await sweep.GetCurvesAsync(null)).Single().Records[^1];
        Assert.Equal((stored.Epoch, stored.TrainAccuracy, stored.TestAccuracy), (stopped.Epoch, stopped.TrainAccuracy, stopped.TestAccuracy));

        var checkpoint = Assert.Single(Directory.GetFiles(Path.Combine(cluster.CheckpointDirectory, "damaged"), "*.ckpt"));
        File.WriteAllText(checkpoint, "not a checkpoint");
        await sweep.ResumeAsync();
        var failed = (await cluster.WaitForFinishAsync("damaged", TimeSpan.FromSeconds(30))).Cells.Single();
        Assert.Equal(CellState.Failed, failed.State);
        Assert.Contains(checkpoint, failed.Error);
        Assert.Contains("move that file away and resume", failed.Error);
        Assert.DoesNotContain("Exception", failed.Error);                 // a problem the user can fix reads as its message
        Assert.Equal("not a checkpoint", File.ReadAllText(checkpoint));   // the damaged file is left for the user

        File.Move(checkpoint, checkpoint + ".damaged");
        await sweep.ResumeAsync();
        var done = await cluster.WaitForFinishAsync("damaged", TimeSpan.FromSeconds(30));
        Assert.Equal(SweepState.Completed, done.State);
        var curve = (await sweep.GetCurvesAsync(null)).Single();
        Curves.AssertUninterrupted(curve, spec, trainer);
    }
}
