using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>
/// Every silo of a cluster stops gracefully at the same moment (docker-compose down, a Kubernetes scale to zero): the
/// coordinators deactivate alongside the packs, so a stopping pack cannot get its last epochs stored. It must still
/// checkpoint where it stands, carrying those epochs in the checkpoint, and the next cluster must resume from there.
/// </summary>
public sealed class ClusterStopTests
{
    [Fact]
    public async Task Sweep_WhenEverySiloStopsGracefullyAtOnce_CheckpointsWhereItStandsAndResumesFromThere()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(40));
        // No periodic checkpoint before the end: whatever is saved, the stop saved.
        var spec = TestSpecs.Small("stop-all", [0.1, 0.01], epochs: 40) with { CheckpointEvery = 40 };
        var directory = Path.Combine(Path.GetTempPath(), "gg-stopall-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            int reached;
            var hold = new EpochGate();
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => hold.For(s, trainer), directory))
            {
                // Both packs wait after epoch 5 until the stop stops them: however slow the machine, the stop lands
                // mid-pack (a pack that finished first would leave nothing to resume).
                hold.HoldAfter(EpochGate.AnySilo, 5);
                await first.Sweep("stop-all").SubmitAsync(spec);
                reached = (await first.WaitForAsync("stop-all", s => s.Cells.Min(c => c.Epoch) >= 5, TimeSpan.FromSeconds(30), "did not get going"))
                    .Cells.Min(c => c.Epoch);
                await first.Cluster.StopAllSilosAsync();
            }

            var packDirectory = Path.Combine(directory, "checkpoints", "stop-all");
            Assert.True(Directory.Exists(packDirectory), "no pack checkpointed on the way out");
            var checkpoints = Directory.GetFiles(packDirectory, "*.ckpt");
            Assert.Equal(2, checkpoints.Length);
            var checkpointed = new Dictionary<string, int>();   // pack id → the epoch its checkpoint holds
            foreach (var file in checkpoints)
            {
                var epoch = int.Parse(File.ReadAllLines(file)[2], System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(epoch >= reached, $"{Path.GetFileName(file)} checkpointed epoch {epoch}, but the pack had reached {reached}");
                checkpointed.Add(Path.GetFileName(file).Split('.')[0], epoch);
            }

            // Whether a coordinator still took a pack's last report depends on the order of deactivation; when it did
            // not, the records sit beside the checkpoint (StoreFailureTests forces that case).

            var logs = new LogCapture();
            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer, directory,
                services: s => s.AddSingleton<ILoggerProvider>(logs));
            var status = await second.WaitForFinishAsync("stop-all", TimeSpan.FromSeconds(60));
            Assert.Equal(SweepState.Completed, status.State);
            // The curves alone cannot tell a resume from a fresh start (no-op records depend on the epoch only, and the
            // curve store drops epochs it holds): each pack's trainer must have loaded the checkpoint the stop wrote, at
            // the epoch that file holds, not at 0.
            var resumed = logs.Matching("resuming from its checkpoint");
            foreach (var (pack, epoch) in checkpointed)
                Assert.True(resumed.Contains($"Pack stop-all/{pack}: resuming from its checkpoint at epoch {epoch}"),
                    $"pack {pack} did not resume from its checkpoint at epoch {epoch}; resumes logged: [{string.Join("; ", resumed)}]");
            Curves.AssertUninterrupted(await second.Sweep("stop-all").GetCurvesAsync(null), spec, trainer);
            Assert.Empty(Directory.GetFiles(packDirectory, "*.unstored.json"));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
