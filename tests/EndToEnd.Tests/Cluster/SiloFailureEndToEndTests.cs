using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Xunit.Abstractions;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Acceptance: a real redis-server and three silo processes clustered through it (two simulating 2 GPUs each, one with
/// no training slots); a client submits a sweep; one GPU silo running cells is SIGKILLed mid-sweep; the sweep still
/// completes with every curve complete and no epoch recorded twice.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class SiloFailureEndToEndTests(ITestOutputHelper output)
{
    private const int Epochs = 150;

    [Fact]
    public async Task Sweep_GpuSiloKilledMidSweep_CompletesEveryCurveOnceWithoutDuplicates()
    {
        await using var redis = await RedisServer.StartAsync();
        using var dir = new TempDirectory("gg-failover");
        var cluster = ClusterArgs.Redis(redis);
        var common = cluster.SiloArgs(dir.Combine("checkpoints"));
        var gpu = cluster.GpuSiloArgs(dir.Combine("checkpoints"), gpus: 2);
        using var gpu1 = SiloProcess.Start("gpu1", dir, gpu);
        using var gpu2 = SiloProcess.Start("gpu2", dir, gpu);
        using var plain = SiloProcess.Start("plain", dir, [.. common, "--gpus", "0"]);
        SiloProcess[] silos = [gpu1, gpu2, plain];
        try
        {
            await Task.WhenAll(silos.Select(s => s.WaitActiveAsync(TimeSpan.FromSeconds(90))));
            var spec = TestSpecs.Write(dir, "e2e-failover", ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0, 1], Epochs);
            var connect = cluster.ClientArgs();
            // Connected before the submit: a connection made after it (seconds on a loaded machine) let the cells train
            // on unwatched, and the poll below could first see them near their end.
            await using var client = await TestClient.ConnectAsync(cluster.ClusterId, cluster.Connection);
            Assert.Contains("8 cells", await Gradguess.OkAsync(["submit", spec, .. connect]));

            var running = await client.WaitForAsync("e2e-failover",
                s => s.Cells.Any(c => c.State == CellState.Running && c.Epoch >= 10 && c.Silo is "gpu1" or "gpu2"), TimeSpan.FromSeconds(90));
            var victim = silos.Single(s => s.Name == running.Cells.First(c => c.State == CellState.Running && c.Silo is "gpu1" or "gpu2").Silo);
            var onVictim = running.Cells.Where(c => c.Silo == victim.Name && c.State == CellState.Running).ToList();
            output.WriteLine($"killing {victim.Name} (pid {victim.Process.Pid}) with cells at epochs {string.Join(", ", onVictim.Select(c => c.Epoch))}");
            victim.Process.Kill();

            var watch = await Gradguess.RunAsync(["watch", "e2e-failover", .. connect], TimeSpan.FromMinutes(4));
            output.WriteLine(watch.Stdout);
            Assert.True(watch.ExitCode == 0, watch.ToString());
            var final = await client.WaitForAsync("e2e-failover", s => s.IsFinished, TimeSpan.FromSeconds(30));
            Assert.Equal(SweepState.Completed, final.State);
            Assert.All(final.Cells, c => Assert.Equal(CellState.Completed, c.State));

            var export = JsonNode.Parse(await Gradguess.OkAsync(["export", "e2e-failover", "--format", "json", .. connect]))!.AsArray();
            CurveChecks.AssertCompleteWithoutDuplicates(export, cells: 8, Epochs);
            // The victim's packs were started again on the surviving GPU silo (from their checkpoints on the shared volume).
            var survivorLog = File.ReadAllText(silos.Single(s => s != victim && s != plain).Process.LogPath);
            Assert.All(onVictim, c => Assert.Contains($"Pack e2e-failover/{c.PackId} ", survivorLog));
            // Those seen at epoch 10 or later had checkpointed (every 5 epochs): they went on from there, not from the start.
            Assert.All(onVictim.Where(c => c.Epoch >= 10), c => Assert.Matches(
                $"Pack e2e-failover/{c.PackId}: resuming from its checkpoint at epoch ([5-9]|[1-9][0-9]+)\\b", survivorLog));
        }
        catch
        {
            foreach (var s in silos) output.WriteLine($"--- {s.Name} ---\n{s.Process.LogTail(30)}");
            throw;
        }
    }
}
