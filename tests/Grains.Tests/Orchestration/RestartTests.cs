using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A whole cluster stops mid-sweep and a new one starts on the same storage: the sweep resumes by itself.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Sweep_AfterTheWholeClusterRestarts_ResumesWithoutClientActionAndMatchesAnUnbrokenRun()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(40));
        var spec = TestSpecs.Small("restart", [0.1, 0.01, 0.001], epochs: 12, packing: PackingMode.Lr, seeds: [0, 1]);
        var directory = Path.Combine(Path.GetTempPath(), "gg-restart-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var freeze = new EpochGate();
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => freeze.For(s, trainer), directory))
            {
                var silo = first.Cluster.Silos.Single();
                // The first pack stops for good after epoch 5 (of 12): no graceful stop, no checkpoint on the way out.
                freeze.FreezeAfter(silo.Name, 5);
                await first.Sweep("restart").SubmitAsync(spec);
                await first.WaitForAsync("restart", s => s.Cells.Max(c => c.Epoch) >= 5, TimeSpan.FromSeconds(30), "did not get going");
                await first.Cluster.KillSiloAsync(silo);
            }

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory);
            // No submit and no call to the sweep: the resume service must wake it. Poll only the registry-free status path
            // after it is done (status calls would wake the coordinator themselves).
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (trainer.Opened < 3 || !await FinishedOnDisk(second))
            {
                Assert.True(DateTime.UtcNow < deadline, "the sweep did not resume by itself");
                await Task.Delay(100);
            }
            var status = await second.WaitForFinishAsync("restart", TimeSpan.FromSeconds(30));   // its first status call activates the coordinator
            Assert.Equal(SweepState.Completed, status.State);
            Curves.AssertUninterrupted(await second.Sweep("restart").GetCurvesAsync(null), spec, trainer);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Whether the registry on disk says the sweep completed (read without touching the coordinator).</summary>
    private static async Task<bool> FinishedOnDisk(SweepCluster cluster)
    {
        var list = await cluster.Client.GetGrain<GradGuessCluster.Grains.Interfaces.ISweepRegistryGrain>(0).ListAsync();
        return list.Any(s => s.Name == "restart" && s.State == SweepState.Completed);
    }
}
