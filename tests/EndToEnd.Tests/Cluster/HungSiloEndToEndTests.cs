using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Xunit.Abstractions;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// A silo hangs mid-sweep (SIGSTOP: a long GC pause, a frozen VM) for longer than the cluster waits for it: its packs
/// are re-placed on the other GPU silo and resume from their checkpoints. Then it wakes (SIGCONT) with its pack loops
/// mid-epoch, as if nothing had happened. The sweep must still complete with every curve whole and no epoch twice: the
/// woken silo's packs may not write over the new owners' curves.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class HungSiloEndToEndTests(ITestOutputHelper output)
{
    private const int Epochs = 400;

    [Fact]
    public async Task Sweep_WhenAGpuSiloHangsAndWakesAfterItsPacksMoved_CompletesEveryCurveOnce()
    {
        await using var redis = await RedisServer.StartAsync();
        using var dir = new TempDirectory("gg-hung");
        var cluster = ClusterArgs.Redis(redis);
        var gpu = cluster.GpuSiloArgs(dir.Combine("checkpoints"), gpus: 2);
        using var gpu1 = SiloProcess.Start("gpu1", dir, gpu);
        using var gpu2 = SiloProcess.Start("gpu2", dir, gpu);
        SiloProcess[] silos = [gpu1, gpu2];
        SiloProcess? victim = null;
        try
        {
            await Task.WhenAll(silos.Select(s => s.WaitActiveAsync(TimeSpan.FromSeconds(90))));
            var spec = TestSpecs.Write(dir, "e2e-hung", ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0], Epochs, checkpointEvery: 20);
            var connect = cluster.ClientArgs();
            await using var client = await TestClient.ConnectAsync(cluster.ClusterId, cluster.Connection);
            Assert.Contains("4 cells", await Gradguess.OkAsync(["submit", spec, .. connect]));

            var running = await client.WaitForAsync("e2e-hung",
                s => s.Cells.Count(c => c.State == CellState.Running && c.Epoch >= 30) >= 2, TimeSpan.FromSeconds(90));
            victim = silos.Single(s => s.Name == running.Cells.First(c => c.State == CellState.Running && c.Epoch >= 30).Silo);
            var moved = running.Cells.Where(c => c.Silo == victim.Name && c.State == CellState.Running).Select(c => c.CellId).ToHashSet();
            output.WriteLine($"freezing {victim.Name} with cells at epochs {string.Join(", ", running.Cells.Select(c => c.Epoch))}");
            victim.Process.Freeze();

            // Its packs start again elsewhere (or the survivor finishes them).
            await client.WaitForAsync("e2e-hung", s => s.Cells.Where(c => moved.Contains(c.CellId))
                .All(c => c.State == CellState.Completed || (c.State == CellState.Running && c.Silo != victim.Name)), TimeSpan.FromSeconds(120));
            output.WriteLine($"{victim.Name}'s packs moved; waking it");
            victim.Process.Continue();

            var watch = await Gradguess.RunAsync(["watch", "e2e-hung", .. connect], TimeSpan.FromMinutes(4));
            output.WriteLine(watch.Stdout);
            Assert.True(watch.ExitCode == 0, watch.ToString());
            var final = await client.WaitForAsync("e2e-hung", s => s.IsFinished, TimeSpan.FromSeconds(30));
            Assert.Equal(SweepState.Completed, final.State);
            Assert.All(final.Cells, c => Assert.Equal(CellState.Completed, c.State));
            var export = JsonNode.Parse(await Gradguess.OkAsync(["export", "e2e-hung", "--format", "json", .. connect]))!.AsArray();
            CurveChecks.AssertCompleteWithoutDuplicates(export, cells: 4, Epochs);
            // The woken silo learnt that the cluster had declared it dead, and left.
            await Waiting.UntilAsync(() => Task.FromResult(victim.Process.HasExited), TimeSpan.FromSeconds(60),
                () => $"{victim.Name} still runs after waking: {victim.Process.LogTail()}");
        }
        catch
        {
            victim?.Process.Continue();
            foreach (var s in silos) output.WriteLine($"--- {s.Name} ---\n{s.Process.LogTail(40)}");
            throw;
        }
        finally
        {
            victim?.Process.Continue();   // a stopped process cannot be disposed of cleanly
        }
    }
}
