using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Xunit.Abstractions;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// `docker-compose down` in miniature: two silo processes clustered through a real redis-server are SIGTERMed at the
/// same moment mid-sweep. Neither is the last silo when the signal arrives, so neither suspends the sweep first; every
/// running pack must still checkpoint where it stands (its epochs stored by a coordinator still up, or kept beside the
/// checkpoint when none is: Grains.Tests' StoreFailureTests forces that case), and a new pair of silos must finish the
/// sweep by itself with every curve complete and no epoch twice. Then the sweep is deleted, Redis keys and all.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class ClusterStopEndToEndTests(ITestOutputHelper output)
{
    private const int Epochs = 300;

    [Fact]
    public async Task Sweep_EverySiloSigtermedAtOnce_CheckpointsRunningPacksAndFinishesAfterARestart()
    {
        await using var redis = await RedisServer.StartAsync();
        using var dir = new TempDirectory("gg-stopall");
        var cluster = ClusterArgs.Redis(redis);
        var args = cluster.GpuSiloArgs(dir.Combine("checkpoints"), gpus: 1);
        var connect = cluster.ClientArgs();
        // Checkpoints only at the end: a checkpoint found after the stop was written by the stop.
        var spec = TestSpecs.Write(dir, "e2e-stopall", ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0], Epochs, checkpointEvery: Epochs);

        List<CellStatus> running;
        DateTime sigtermAt;
        var first = new[] { SiloProcess.Start("a", dir, args), SiloProcess.Start("b", dir, args) };
        try
        {
            await Task.WhenAll(first.Select(s => s.WaitActiveAsync(TimeSpan.FromSeconds(90))));
            bool[] exited;
            // Connected before the submit, and closed only after the SIGTERMs: neither the connection (seconds on a loaded
            // machine) nor its closing lies between the cells' start and the poll, or between the poll and the signals,
            // where the packs could train to their end.
            await using (var client = await TestClient.ConnectAsync(cluster.ClusterId, cluster.Connection))
            {
                Assert.Contains("4 cells", await Gradguess.OkAsync(["submit", spec, .. connect]));
                var status = await client.WaitForAsync("e2e-stopall",
                    s => s.Cells.Count(c => c.State == CellState.Running && c.Epoch >= 10) == 2, TimeSpan.FromSeconds(90));
                running = status.Cells.Where(c => c.State == CellState.Running).ToList();
                output.WriteLine($"stopping both silos with packs at epochs {string.Join(", ", running.Select(c => c.Epoch))}");
                sigtermAt = DateTime.UtcNow;
                exited = await Task.WhenAll(first.Select(s => Task.Run(() => s.Process.Terminate(TimeSpan.FromSeconds(120)))));
            }
            Assert.All(exited, Assert.True);
        }
        catch
        {
            foreach (var s in first) output.WriteLine($"--- {s.Name} ---\n{s.Process.LogTail(30)}");
            throw;
        }
        finally
        {
            foreach (var s in first) s.Dispose();
        }

        // Written by the stop, not earlier: a pack that finished writes one too (file times come from the kernel's coarse
        // clock: allow it a few ticks).
        foreach (var cell in running)
        {
            var found = Directory.GetFiles(dir.Combine("checkpoints", "e2e-stopall"), cell.PackId + ".*.ckpt");   // PACK.INCARNATION.ckpt
            Assert.True(found.Length == 1, $"pack {cell.PackId} (epoch {cell.Epoch} when stopped) left no checkpoint");
            var written = File.GetLastWriteTimeUtc(found[0]);
            Assert.True(written >= sigtermAt.AddMilliseconds(-20),
                $"pack {cell.PackId}'s checkpoint was not written by the stop (written {written:HH:mm:ss.fff}, SIGTERM sent {sigtermAt:HH:mm:ss.fff})");
        }

        using var c = SiloProcess.Start("c", dir, args);
        using var d = SiloProcess.Start("d", dir, args);
        try
        {
            await Task.WhenAll(c.WaitActiveAsync(TimeSpan.FromSeconds(90)), d.WaitActiveAsync(TimeSpan.FromSeconds(90)));
            var watch = await Gradguess.RunAsync(["watch", "e2e-stopall", .. connect], TimeSpan.FromMinutes(4));
            Assert.True(watch.ExitCode == 0, watch.ToString());
            var export = JsonNode.Parse(await Gradguess.OkAsync(["export", "e2e-stopall", "--format", "json", .. connect]))!.AsArray();
            CurveChecks.AssertCompleteWithoutDuplicates(export, cells: 4, Epochs);

            // delete removes the sweep's Redis keys (ledger, curve chunks, pack states) and its checkpoints.
            Assert.True(await redis.CountKeysAsync("*e2e-stopall*") > 0, "the sweep's states are not keyed by its name");
            Assert.StartsWith("deleted sweep e2e-stopall: 4 cells, 20 curve chunks, ",
                await Gradguess.OkAsync(["delete", "e2e-stopall", "--yes", .. connect]));
            Assert.Equal(0, await redis.CountKeysAsync("*e2e-stopall*"));
            Assert.False(Directory.Exists(dir.Combine("checkpoints", "e2e-stopall")));
        }
        catch
        {
            foreach (var s in new[] { c, d }) output.WriteLine($"--- {s.Name} ---\n{s.Process.LogTail(30)}");
            throw;
        }
    }
}
