using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Xunit.Abstractions;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// PostgreSQL, which holds a PostgreSQL-clustered deployment's membership and every grain's state, restarts in the
/// middle of a sweep (a minor-version upgrade, a failover's restart). The silo rides out the seconds without it, its
/// pooled connections broken underneath it, and the sweep completes with every curve whole and no epoch twice.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class PostgresRestartEndToEndTests(ITestOutputHelper output)
{
    private const int Epochs = 120;

    [Fact]
    public async Task Sweep_WhenPostgresRestartsMidSweep_CompletesEveryCurveOnce()
    {
        var bin = PostgresServer.FindBinaries()
                  ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it");
        await using var postgres = await PostgresServer.StartAsync(bin);
        using var dir = new TempDirectory("gg-pg-restart");
        var clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        using var silo = SiloProcess.Start("pg-gpus", dir,
        [
            "--clustering", "postgres", "--storage", "postgres", "--postgres", postgres.ConnectionString, "--advertised-ip", "127.0.0.1",
            "--cluster-id", clusterId, "--service-id", clusterId, "--checkpoint-dir", dir.Combine("checkpoints"),
            "--gpus", "2", "--GradGuess:SimulateGpus=true",
        ]);
        try
        {
            await silo.WaitActiveAsync(TimeSpan.FromSeconds(90));
            var spec = TestSpecs.Write(dir, "e2e-pg-restart", ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0], Epochs);
            string[] connect = ["--gateway", silo.Gateway, "--cluster-id", clusterId, "--service-id", clusterId];
            Assert.Contains("4 cells", await Gradguess.OkAsync(["submit", spec, .. connect]));
            await using (var client = await TestClient.ConnectAsync(clusterId, redis: null, silo.GatewayPort))
            {
                var running = await client.WaitForAsync("e2e-pg-restart",
                    s => s.Cells.Any(c => c.State == CellState.Running && c.Epoch >= 10), TimeSpan.FromSeconds(90));
                output.WriteLine($"restarting postgres with cells at epochs {string.Join(", ", running.Cells.Select(c => c.Epoch))}");
            }

            await postgres.RestartAsync(TimeSpan.FromSeconds(10));

            var watch = await Gradguess.RunAsync(["watch", "e2e-pg-restart", .. connect], TimeSpan.FromMinutes(4));
            output.WriteLine(watch.Stdout);
            Assert.True(watch.ExitCode == 0, watch.ToString());
            Assert.False(silo.Process.HasExited, "the silo did not ride out the restart");
            Assert.Contains("completed", await Gradguess.OkAsync(["status", "e2e-pg-restart", .. connect]));
            var export = JsonNode.Parse(await Gradguess.OkAsync(["export", "e2e-pg-restart", "--format", "json", .. connect]))!.AsArray();
            CurveChecks.AssertCompleteWithoutDuplicates(export, cells: 4, Epochs);
            // The outage was felt, not slept through: the silo's storage calls failed while the server was down.
            Assert.Contains("Grain storage operation failed", File.ReadAllText(silo.Process.LogPath));
        }
        catch
        {
            output.WriteLine($"--- {silo.Name} ---\n{silo.Process.LogTail(60)}");
            throw;
        }
    }
}
