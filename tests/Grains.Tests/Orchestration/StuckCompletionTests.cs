using System.Text.RegularExpressions;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A sweep stored as running whose cells are all final (an extension whose write failed after the last pack
/// ended left it so: the added cells had held it open, and nothing else came to complete it) completes once its
/// coordinator wakes, without training anything again. Before, it stood running at 100 % for good, and `local` waited
/// on it forever.</summary>
public sealed class StuckCompletionTests
{
    [Fact]
    public async Task ASweepStoredAsRunningWithEveryCellFinal_CompletesOnceItsCoordinatorWakes()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        var spec = TestSpecs.Small("stuck", [0.1, 0.01], epochs: 2);
        var directory = Path.Combine(Path.GetTempPath(), "gg-stuck-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory))
            {
                await first.Sweep("stuck").SubmitAsync(spec);
                Assert.Equal(SweepState.Completed, (await first.WaitForFinishAsync("stuck", TimeSpan.FromSeconds(30))).State);
            }
            // The ledger as such a failed extension leaves it: running, every cell completed, no finish time.
            var ledger = Path.Combine(directory, "state", "gg-sweep", "stuck.sweep.state");
            var text = await File.ReadAllTextAsync(ledger);
            var completed = $"\"State\":{(int)SweepState.Completed},";
            Assert.Single(Regex.Matches(text, Regex.Escape(completed)));   // the sweep's: its cells' Completed is another number
            text = text.Replace(completed, $"\"State\":{(int)SweepState.Running},", StringComparison.Ordinal);
            text = Regex.Replace(text, "\"FinishedAt\":\"[^\"]*\"", "\"FinishedAt\":null");
            // Edited by hand, it can keep no checksum: drop it from the header, as files of earlier builds have none.
            text = Regex.Replace(text, "^(gradguess-state 1 [0-9a-f]+) [0-9a-f]+\n", "$1\n");
            await File.WriteAllTextAsync(ledger, text);
            int opened = trainer.Opened;

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory);
            var status = await second.WaitForFinishAsync("stuck", TimeSpan.FromSeconds(20));
            Assert.Equal(SweepState.Completed, status.State);
            Assert.NotNull(status.FinishedAt);
            Assert.Equal(opened, trainer.Opened);   // nothing trained again
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
