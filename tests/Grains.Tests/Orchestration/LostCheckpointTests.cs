using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A stopped pack resumed where its checkpoint is not (a checkpoint directory that not every silo sees, a file
/// moved away) trains again from epoch 0: the curves stay whole, but status says so, naming the pack, the silo and where
/// it looked, until the pack has trained past its stored curves. A pack that finds its checkpoint is no problem.</summary>
public sealed class LostCheckpointTests
{
    private readonly NoOpPackTrainerFactory _trainer = new(TimeSpan.FromMilliseconds(30));
    private readonly SweepSpec _spec = TestSpecs.Small("lost-checkpoint", [0.1], epochs: 16) with { CheckpointEvery = 2 };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ResumedWithoutItsCheckpoint_IsAProblemUntilItCatchesUp_AndWithItIsNone(bool removed)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gg-lost-checkpoint-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await CancelledMidPack.RunAsync(directory, _spec, _trainer);
            var checkpoint = Assert.Single(Directory.GetFiles(Path.Combine(directory, "checkpoints", _spec.Name), "*.ckpt"));
            if (removed) File.Move(checkpoint, checkpoint + ".away");

            var hold = new EpochGate();
            hold.HoldAfter(EpochGate.AnySilo, 2);   // a resumed pack waits at once; one from epoch 0 after two epochs
            await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => hold.For(s, _trainer), directory);
            var sweep = cluster.Sweep(_spec.Name);
            var storedTo = (await sweep.GetStatusAsync())!.Cells.Single().Epoch;
            await sweep.ResumeAsync();
            await hold.WaitHeldAsync("the resumed pack");
            var held = (await sweep.GetStatusAsync())!;

            if (removed)
            {
                var silo = cluster.Cluster.Silos.Single().Name;
                Assert.Equal($"pack {held.Cells.Single().PackId} went on from epoch 0 on silo {silo}, but it had checkpointed at epoch "
                    + $"{(storedTo - 1) / 2 * 2} (its curves are stored to epoch {storedTo}): no checkpoint is at {checkpoint} there. "
                    + "Every silo must see the checkpoint directory; the epochs trained again are not stored twice", held.Problem);
            }
            else Assert.Null(held.Problem);
            hold.Release();
            var done = await cluster.WaitForFinishAsync(_spec.Name, TimeSpan.FromSeconds(30));
            Assert.Null(done.Problem);
            Assert.Equal(CellState.Completed, done.Cells.Single().State);
            Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), _spec, _trainer);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
