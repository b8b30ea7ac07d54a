using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Xunit.Abstractions;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// The store that holds a deployment's membership and every grain's state restarts in the middle of a sweep (an
/// upgrade, a crash and its restart policy, a failover): Redis with its append-only file as deployed, PostgreSQL with a
/// fast stop that cuts the silo's pooled connections. The silo rides out the seconds without it and the sweep
/// completes with every curve whole and no epoch twice.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class StoreRestartEndToEndTests(ITestOutputHelper output)
{
    private const int Epochs = 120;

    [Theory]
    [InlineData("redis")]
    [InlineData("postgres")]
    public async Task Sweep_WhenTheStoreRestartsMidSweep_CompletesEveryCurveOnce(string kind)
    {
        await using var store = await ClusterStore.StartAsync(kind, persistent: true);
        using var dir = new TempDirectory($"gg-{kind}-restart");
        using var silo = SiloProcess.Start(kind + "-gpus", dir, store.GpuSiloArgs(dir.Combine("checkpoints"), gpus: 2));
        var sweep = $"e2e-{kind}-restart";
        try
        {
            await silo.WaitActiveAsync(TimeSpan.FromSeconds(90));
            var spec = TestSpecs.Write(dir, sweep, ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0], Epochs);
            var connect = store.ClientArgs(silo);
            Assert.Contains("4 cells", await Gradguess.OkAsync(["submit", spec, .. connect]));
            await using (var client = await store.ClientAsync(silo))
            {
                var running = await client.WaitForAsync(sweep,
                    s => s.Cells.Any(c => c.State == CellState.Running && c.Epoch >= 10), TimeSpan.FromSeconds(90));
                output.WriteLine($"restarting {kind} with cells at epochs {string.Join(", ", running.Cells.Select(c => c.Epoch))}");
            }

            await store.RestartAsync(TimeSpan.FromSeconds(10));

            var watch = await Gradguess.RunAsync(["watch", sweep, .. connect], TimeSpan.FromMinutes(4));
            output.WriteLine(watch.Stdout);
            Assert.True(watch.ExitCode == 0, watch.ToString());
            Assert.False(silo.Process.HasExited, "the silo did not ride out the restart");
            Assert.Contains("completed", await Gradguess.OkAsync(["status", sweep, .. connect]));
            var export = JsonNode.Parse(await Gradguess.OkAsync(["export", sweep, "--format", "json", .. connect]))!.AsArray();
            CurveChecks.AssertCompleteWithoutDuplicates(export, cells: 4, Epochs);
            // The outage was felt, not slept through: storage calls failed while the server was down and were retried
            // where they failed (Orleans' Redis storage names a lost connection only in its exception's message).
            Assert.Contains("Grain storage operation failed", File.ReadAllText(silo.Process.LogPath));
        }
        catch
        {
            output.WriteLine($"--- {silo.Name} ---\n{silo.Process.LogTail(60)}");
            throw;
        }
    }
}
