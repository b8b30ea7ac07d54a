using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A pack whose training grain cannot start for a reason that may pass (its state unreadable, not damaged: a
/// directory where the file belongs, as an unmounted or failing volume gives) is retried, but with a growing pause, and
/// the sweep's status says why; once the cause is gone it trains on, and the other packs train meanwhile.</summary>
public sealed class PackStartFailureTests
{
    [Fact]
    public async Task APackThatCannotStart_IsRetriedWithGrowingPauses_StatusSaysWhy_AndItTrainsOnceItCan()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var spec = TestSpecs.Small("stuck-pack", [0.1, 0.01], epochs: 16) with { CheckpointEvery = 2 };
        var directory = Path.Combine(Path.GetTempPath(), "gg-packstart-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var stateFile = await CancelledMidPack.RunAsync(directory, spec, trainer);
            var aside = stateFile + ".aside";
            File.Move(stateFile, aside);
            Directory.CreateDirectory(stateFile);

            var logs = new LogCapture();
            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory,
                services: s => s.AddSingleton<ILoggerProvider>(logs));
            var sweep = second.Sweep("stuck-pack");
            await sweep.ResumeAsync();
            await second.WaitForAsync("stuck-pack", s => s.Count(CellState.Completed) == 1, TimeSpan.FromSeconds(30),
                "the other pack did not train");
            await Task.Delay(TimeSpan.FromSeconds(6));
            var attempts = logs.Matching("not started, re-queued").Count;
            Assert.InRange(attempts, 2, 6);   // 6 s of pauses from 0.5 s, doubling: a handful, not a hot loop
            var problem = (await sweep.GetStatusAsync())!.Problem;
            Assert.NotNull(problem);
            Assert.Contains(stateFile, problem);
            Assert.StartsWith("pack ", problem);
            Assert.Contains(" could not be started (", problem);

            Directory.Delete(stateFile);
            File.Move(aside, stateFile);
            var done = await second.WaitForFinishAsync("stuck-pack", TimeSpan.FromSeconds(40));
            Assert.Equal(SweepState.Completed, done.State);
            Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
            Assert.Null(done.Problem);
            Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), spec, trainer);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
