using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Loop;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Cells;

/// <summary>A checkpoint that cannot be written for want of space (a full volume) is not the cells' failure: the pack stops
/// and is tried again after a pause that grows, from its last checkpoint, and status says why and what to do. Its cells
/// failed for it before, and stayed failed until the sweep was resumed by hand. Other write failures still fail the
/// cells (LocalCommandTests: a file where the checkpoint directory belongs).</summary>
public sealed class CheckpointWriteFailureTests
{
    [Fact]
    public void OnlyWantOfSpace_IsToldFromOtherWriteFailures()
    {
        Assert.True(CheckpointWriteException.IsNoSpace(new IOException("No space left on device", 28)));
        Assert.True(CheckpointWriteException.IsNoSpace(new IOException("Disk quota exceeded", 122)));
        Assert.True(CheckpointWriteException.IsNoSpace(new InvalidOperationException("wrapped", new IOException("No space left on device", 28))));
        Assert.False(CheckpointWriteException.IsNoSpace(new IOException("File exists")));   // a setting to fix: the cells fail
        Assert.False(CheckpointWriteException.IsNoSpace(new DirectoryNotFoundException("Could not find a part of the path")));
        Assert.False(CheckpointWriteException.IsNoSpace(new UnauthorizedAccessException("Access denied")));
    }

    [Fact]
    public async Task APackWhoseCheckpointCannotBeWritten_GoesOnFromItsLastOneLater_AndItsCellCompletesWithItsWholeCurve()
    {
        var spec = TestSpecs.Small("full", [0.1], epochs: 8);   // checkpoints every 2 epochs
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        var volume = FullVolumeAfter(epoch: 2, runs: 2, trainer);
        var logs = new LogCapture();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => volume,
            services: s => s.AddSingleton<ILoggerProvider>(logs));
        await cluster.Sweep("full").SubmitAsync(spec);

        var done = await cluster.WaitForFinishAsync("full", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, done.State);
        Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Curves.AssertUninterrupted(await cluster.Sweep("full").GetCurvesAsync(null), spec, trainer);
        Assert.Equal(3, volume.Opened);   // two runs stopped at their second checkpoint, the third to the end
        var stops = logs.Matching("resumes from its last checkpoint");
        Assert.Equal(2, stops.Count);
        Assert.All(stops, line => Assert.Matches(@"cannot write its checkpoint \S+\.ckpt on Silo_0 after epoch 4: No space left on device", line));
        // Each later run went on from the checkpoint of epoch 2, the last one written.
        Assert.Equal(2, logs.Matching("resuming from its checkpoint at epoch 2").Count);
    }

    [Fact]
    public async Task APackWhoseCheckpointIsNeverWritten_IsShownInStatusWithTheWayOut_AndItsCellIsNotFailed()
    {
        var spec = TestSpecs.Small("always-full", [0.1], epochs: 8);
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)],
            _ => FullVolumeAfter(epoch: 0, runs: int.MaxValue, new NoOpPackTrainerFactory(TimeSpan.Zero)));
        await cluster.Sweep("always-full").SubmitAsync(spec);

        var status = await cluster.WaitForAsync("always-full", s => s.Problem?.Contains("could not write its checkpoint") == true,
            TimeSpan.FromSeconds(30), "status never said the pack's checkpoint could not be written");
        Assert.Matches(@"^pack \S+ could not write its checkpoint \(\d+ tries, the next after [\d.]+ s\): cannot write its checkpoint \S+ " +
                       "on Silo_0 after epoch 2: No space left on device : '\\S+'; free space on the checkpoint volume: the pack goes on " +
                       "from its last checkpoint$", status.Problem);
        Assert.Equal(0, status.Count(CellState.Failed));
        Assert.Equal(SweepState.Running, status.State);
    }

    /// <summary>Its first <paramref name="runs"/> runs find the checkpoint volume full once the pack is past
    /// <paramref name="epoch"/>: the write throws what .NET throws for ENOSPC, and writes nothing.</summary>
    private static FirstRunsFactory FullVolumeAfter(int epoch, int runs, IPackTrainerFactory inner) =>
        new(runs, inner, (failing, trainer) => new Trainer(failing ? epoch : int.MaxValue, trainer));

    private sealed class Trainer(int fullAfter, IPackTrainer inner) : DelegatingPackTrainer(inner)
    {
        private const int NoSpace = 28;   // ENOSPC, as .NET's FileStream reports it (HResult): checked on /dev/full
        public override void SaveCheckpoint(string path)
        {
            if (EpochsCompleted > fullAfter) throw new IOException("No space left on device : '" + path + "'", NoSpace);
            base.SaveCheckpoint(path);
        }
    }
}
