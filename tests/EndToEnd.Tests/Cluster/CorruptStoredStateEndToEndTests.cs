using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Xunit.Abstractions;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// A stored state in Redis or PostgreSQL that no longer deserializes (a damaged write, a build that reads it
/// differently): a pack's state fails that pack's cells with the way out instead of re-queuing it for ever, a sweep's
/// ledger makes every verb exit 2 with the way out, and following each way out completes the sweep with the curves it
/// had. The file store's counterpart is covered by the Grains and local-command tests.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class CorruptStoredStateEndToEndTests(ITestOutputHelper output)
{
    private const int Epochs = 200;
    private const string Sweep = "e2e-corrupt";

    [Theory]
    [InlineData("redis")]
    [InlineData("postgres")]
    public async Task DamagedPackStateAndLedger_AreReportedWithTheWayOut_AndFollowingItCompletesTheSweep(string kind)
    {
        await using var store = await ClusterStore.StartAsync(kind);
        using var dir = new TempDirectory("gg-corrupt-" + kind);
        string[] siloArgs = store.GpuSiloArgs(dir.Combine("checkpoints"), gpus: 2);
        var spec = TestSpecs.Write(dir, Sweep, ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0], Epochs);
        SiloProcess? silo = null;
        try
        {
            silo = await StartSiloAsync("first", dir, siloArgs);
            Assert.Contains("4 cells", await Gradguess.OkAsync(["submit", spec, .. store.ClientArgs(silo)]));
            SweepStatus cancelled;
            await using (var client = await store.ClientAsync(silo))
            {
                // Cancelled through the grain the moment a cell is past its first checkpoint: a `cancel` process takes
                // seconds to start on a loaded machine, in which a CI run's first packs finished all 200 epochs.
                await client.WaitForAsync(Sweep, s => s.Cells.Any(c => c.State == CellState.Running && c.Epoch >= 6), TimeSpan.FromSeconds(90));
                await client.Client.GetGrain<ISweepCoordinatorGrain>(Sweep).CancelAsync();
                cancelled = await client.WaitForAsync(Sweep, s => s.State == SweepState.Cancelled && s.Count(CellState.Running) == 0,
                    TimeSpan.FromSeconds(60));
            }
            // A cell that has a checkpoint to continue from once its pack's state is out of the way.
            var victim = cancelled.Cells.FirstOrDefault(c => c.State == CellState.Cancelled && c.Epoch >= 5)
                         ?? throw new InvalidOperationException("no cell was cancelled past its first checkpoint: " + TestClient.Describe(cancelled));
            output.WriteLine($"cancelled at epochs {string.Join(", ", cancelled.Cells.Select(c => c.Epoch))}; damaging pack {victim.PackId}");
            silo = await RestartAsync(silo, "second", dir, siloArgs);
            var connect = store.ClientArgs(silo);
            var pack = TrainingCellKeys.For(Sweep, victim.PackId);
            await store.CorruptAsync("gg-training", pack, "pack");

            // The damaged pack's cell fails with the way out; the others complete, and nothing waits for ever.
            await Gradguess.OkAsync(["resume", Sweep, .. connect]);
            var failed = await Gradguess.RunAsync(["watch", Sweep, .. connect], TimeSpan.FromMinutes(3));
            output.WriteLine(failed.Stdout + failed.Stderr);
            Assert.True(failed.ExitCode == 1, failed.ToString());
            Assert.Contains("1 cell failed, first ", failed.Stderr);
            Assert.Contains("could not be deserialized as TrainingCellState", failed.Stderr);
            Assert.Contains("delete that entry from the store and resume the sweep (the pack continues from its checkpoint)", failed.Stderr);
            Assert.Contains($"sweep {Sweep} completed: 3/4 cells done (failed 1)", failed.Stdout);

            // Following it: the pack continues from its checkpoint, and every curve is whole.
            await store.RemoveAsync("gg-training", pack, "pack");
            await Gradguess.OkAsync(["resume", Sweep, .. connect]);
            await Gradguess.OkAsync(["watch", Sweep, .. connect]);
            var before = await Gradguess.OkAsync(["export", Sweep, "--format", "json", .. connect]);
            CurveChecks.AssertCompleteWithoutDuplicates(JsonNode.Parse(before)!.AsArray(), cells: 4, Epochs);

            // The sweep's own ledger: every verb exits 2 with one line saying which entry and what to do.
            silo = await RestartAsync(silo, "third", dir, siloArgs, damage: () => store.CorruptAsync("gg-sweep", Sweep, "sweep"));
            connect = store.ClientArgs(silo);
            foreach (var verb in new string[][] { ["status", Sweep], ["results", Sweep], ["delete", Sweep, "--yes"], ["submit", spec] })
            {
                var refused = await Gradguess.RunAsync([.. verb, .. connect], TimeSpan.FromMinutes(1));
                Assert.True(refused.ExitCode == 2, $"{string.Join(' ', verb)}: {refused}");
                var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.Contains($"stored sweep state of gg-sweep/{Sweep} could not be deserialized as SweepCoordinatorState", line);
                Assert.EndsWith("to recover, delete that entry from the store and run the same spec again (local, or submit): the sweep is " +
                                "rebuilt and its cells continue from their checkpoints and stored curves", line);
            }
            await store.RemoveAsync("gg-sweep", Sweep, "sweep");
            await Gradguess.OkAsync(["submit", spec, .. connect]);
            await Gradguess.OkAsync(["watch", Sweep, .. connect]);
            Assert.Equal(before, await Gradguess.OkAsync(["export", Sweep, "--format", "json", .. connect]));
            // Rebuilt as the incarnation the registry kept: its finished packs were not trained again.
            var log = File.ReadAllText(silo.Process.LogPath);
            Assert.Contains("rebuilding it as incarnation", log);
            Assert.DoesNotContain("forgetting the state of an earlier", log);
        }
        catch
        {
            if (silo is not null) output.WriteLine($"--- {silo.Name} ---\n{silo.Process.LogTail(80)}");
            throw;
        }
        finally
        {
            silo?.Dispose();
        }
    }

    private static async Task<SiloProcess> StartSiloAsync(string name, TempDirectory dir, string[] args)
    {
        var silo = SiloProcess.Start(name, dir, args);
        await silo.WaitActiveAsync(TimeSpan.FromSeconds(90));
        return silo;
    }

    /// <summary>Stops the silo (so no activation keeps a state in memory), applies <paramref name="damage"/>, starts another.</summary>
    private static async Task<SiloProcess> RestartAsync(SiloProcess silo, string name, TempDirectory dir, string[] args, Func<Task>? damage = null)
    {
        Assert.True(silo.Process.Terminate(TimeSpan.FromSeconds(60)), $"silo {silo.Name} did not stop");
        silo.Dispose();
        if (damage is not null) await damage();
        return await StartSiloAsync(name, dir, args);
    }
}
