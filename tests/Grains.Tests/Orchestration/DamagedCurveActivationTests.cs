using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A damaged curve file of an unfinished cell, found when the coordinator activates (after a restart): once it
/// failed the activation, so status, cancel and delete failed for the whole sweep, and the way out that status would
/// have given (cancel, then...) could not be taken. Now status names the file's cell and cancel works.</summary>
public sealed class DamagedCurveActivationTests
{
    [Fact]
    public async Task DamagedChunkOfARunningCell_LeavesTheSweepReachable_AndSaysWhichCell()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        var spec = TestSpecs.Small("damaged", [0.1, 0.01], epochs: 12);
        var directory = Path.Combine(Path.GetTempPath(), "gg-damaged-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var gate = new EpochGate();
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => gate.For(s, trainer), directory))
            {
                gate.FreezeAfter(EpochGate.AnySilo, 4);
                await first.Sweep("damaged").SubmitAsync(spec);
                await first.WaitForAsync("damaged", s => s.Cells.All(c => c.Epoch >= 4), TimeSpan.FromSeconds(30), "did not get going");
                await first.Cluster.KillSiloAsync(first.Cluster.Silos.Single());
            }
            var chunk = Directory.GetFiles(Path.Combine(directory, "state", "gg-curve", "damaged"), "*.curve.state", SearchOption.AllDirectories)
                .Order().First();
            await File.WriteAllTextAsync(chunk, "gradguess-state 1 not what was written");

            // The packs restart and wait at their first epoch: what status says is then the activation's own finding.
            var hold = new EpochGate();
            hold.HoldAfter(EpochGate.AnySilo, 0);
            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => hold.For(s, trainer), directory);
            var status = await second.Sweep("damaged").GetStatusAsync();

            Assert.NotNull(status);
            Assert.Equal(SweepState.Running, status.State);
            Assert.Contains("stored curve is unreadable", status.Problem);
            Assert.Contains(status.Cells, c => status.Problem!.Contains(c.CellId));
            Assert.Equal(2, await second.Sweep("damaged").CancelAsync());
            var cancelled = await second.WaitForAsync("damaged", s => s.Cells.All(c => c.State == CellState.Cancelled), TimeSpan.FromSeconds(30), "cancel");
            Assert.Equal(SweepState.Cancelled, cancelled.State);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Only a cell's latest curve chunk is read while it trains, so a damaged earlier one is found when its pack
    /// ends and the whole curve is read: that read once threw, the cell stayed running, and its ended pack was started
    /// again on every watchdog tick, so the sweep never finished. Now the cell fails, naming the file and the way out.</summary>
    [Fact]
    public async Task DamagedEarlierChunk_FoundAtThePacksEnd_FailsThatCell_AndTheSweepFinishes()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5));
        var spec = TestSpecs.Small("damaged-early", [0.1, 0.01], epochs: 140);   // chunks of 64 epochs: 0, 1 and 2
        var directory = Path.Combine(Path.GetTempPath(), "gg-damaged-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var gate = new EpochGate();
            gate.HoldAfter(EpochGate.AnySilo, 80);
            await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => gate.For(s, trainer), directory);
            await cluster.Sweep("damaged-early").SubmitAsync(spec);
            await gate.WaitHeldAsync("both packs at epoch 80", packs: 2);
            var status = await cluster.WaitForAsync("damaged-early", s => s.Cells.All(c => c.Epoch >= 80), TimeSpan.FromSeconds(30), "epochs stored");
            var victim = status.Cells[0].CellId;
            var chunk = Path.Combine(directory, "state", "gg-curve", "damaged-early", victim, "0.curve.state");
            Assert.True(File.Exists(chunk), chunk);
            File.Copy(chunk, chunk + ".good");
            await File.WriteAllTextAsync(chunk, "gradguess-state 1 not what was written");
            gate.Release();

            var done = await cluster.WaitForFinishAsync("damaged-early", TimeSpan.FromSeconds(30));
            var failed = done.Cells.Single(c => c.CellId == victim);
            Assert.Equal(CellState.Failed, failed.State);
            Assert.Matches("^its stored curve is unreadable \\(.*0\\.curve\\.state.*\\): put back a good copy", failed.Error);
            Assert.Equal(CellState.Completed, done.Cells.Single(c => c.CellId != victim).State);

            // The way out the error gives: the good copy back, and a resume completes the cell with its whole curve.
            File.Move(chunk + ".good", chunk, overwrite: true);
            Assert.Equal(1, await cluster.Sweep("damaged-early").ResumeAsync());
            var resumed = await cluster.WaitForFinishAsync("damaged-early", TimeSpan.FromSeconds(30));
            Assert.All(resumed.Cells, c => Assert.Equal(CellState.Completed, c.State));
            Curves.AssertUninterrupted(await cluster.Sweep("damaged-early").GetCurvesAsync(null), spec, trainer);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
