using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A pack's training-grain state file is damaged between runs: its grain cannot activate, which retrying cannot
/// change. The pack fails at once with an error that names the file and the way out, the other packs train, and taking
/// that way (moving the file away, resuming) finishes the pack with an unchanged curve.</summary>
public sealed class CorruptPackStateTests
{
    [Fact]
    public async Task CorruptPackState_FailsThatPack_OthersTrain_AndMovingItAwayFinishesIt()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var spec = TestSpecs.Small("damaged-state", [0.1, 0.01], epochs: 16) with { CheckpointEvery = 2 };
        var directory = Path.Combine(Path.GetTempPath(), "gg-packstate-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var stateFile = await CancelledMidPack.RunAsync(directory, spec, trainer);
            File.WriteAllText(stateFile, "not a state file");

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory);
            var sweep = second.Sweep("damaged-state");
            await sweep.ResumeAsync();
            // Without the fix the damaged pack holds the only slot, retried every minute, and nothing else ever trains.
            var ended = await second.WaitForFinishAsync("damaged-state", TimeSpan.FromSeconds(30));
            var failed = Assert.Single(ended.Cells, c => c.State == CellState.Failed);
            Assert.Contains(stateFile, failed.Error);
            Assert.Contains("move that file away and resume", failed.Error);
            Assert.Single(ended.Cells, c => c.State == CellState.Completed);
            Assert.Equal("not a state file", File.ReadAllText(stateFile));   // the damaged file is left for the user

            File.Move(stateFile, stateFile + ".damaged");
            await sweep.ResumeAsync();
            var done = await second.WaitForFinishAsync("damaged-state", TimeSpan.FromSeconds(30));
            Assert.Equal(SweepState.Completed, done.State);
            Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), spec, trainer);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
