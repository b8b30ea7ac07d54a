using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Xunit.Abstractions;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Redis, which holds a Redis-clustered deployment's membership and every grain's state, restarts in the middle of a
/// sweep (an upgrade, a crash and its restart policy), with its append-only file as deployed. The silos ride out the
/// seconds without it and the sweep completes with every curve whole and no epoch twice.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class RedisRestartEndToEndTests(ITestOutputHelper output)
{
    private const int Epochs = 120;

    [Fact]
    public async Task Sweep_WhenRedisRestartsMidSweep_CompletesEveryCurveOnce()
    {
        await using var redis = await RedisServer.StartAsync(persistent: true);
        using var dir = new TempDirectory("gg-redis-restart");
        var cluster = RedisCluster.On(redis);
        using var silo = SiloProcess.Start("gpus", dir, cluster.GpuSiloArgs(dir.Combine("checkpoints"), gpus: 2));
        try
        {
            await silo.WaitActiveAsync(TimeSpan.FromSeconds(90));
            var spec = TestSpecs.Write(dir, "e2e-redis-restart", ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0], Epochs);
            var connect = cluster.ClientArgs;
            Assert.Contains("4 cells", await Gradguess.OkAsync(["submit", spec, .. connect]));
            await using (var client = await TestClient.ConnectAsync(cluster.ClusterId, cluster.Redis))
            {
                var running = await client.WaitForAsync("e2e-redis-restart",
                    s => s.Cells.Any(c => c.State == CellState.Running && c.Epoch >= 10), TimeSpan.FromSeconds(90));
                output.WriteLine($"restarting redis with cells at epochs {string.Join(", ", running.Cells.Select(c => c.Epoch))}");
            }

            await redis.RestartAsync(TimeSpan.FromSeconds(10));

            var watch = await Gradguess.RunAsync(["watch", "e2e-redis-restart", .. connect], TimeSpan.FromMinutes(4));
            output.WriteLine(watch.Stdout);
            Assert.True(watch.ExitCode == 0, watch.ToString());
            Assert.False(silo.Process.HasExited, "the silo did not ride out the restart");
            var results = await Gradguess.OkAsync(["status", "e2e-redis-restart", .. connect]);
            Assert.Contains("completed", results);
            var export = JsonNode.Parse(await Gradguess.OkAsync(["export", "e2e-redis-restart", "--format", "json", .. connect]))!.AsArray();
            CurveChecks.AssertCompleteWithoutDuplicates(export, cells: 4, Epochs);
            // Storage calls that failed while it was down were retried where they failed (Orleans' Redis storage wraps
            // a lost connection in an exception that names it only in its message).
            Assert.Contains("Grain storage operation failed", File.ReadAllText(silo.Process.LogPath));
        }
        catch
        {
            output.WriteLine($"--- {silo.Name} ---\n{silo.Process.LogTail(60)}");
            throw;
        }
    }
}
