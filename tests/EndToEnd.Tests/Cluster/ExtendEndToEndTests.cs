using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// `submit --extend` on a Redis-backed cluster: a finished sweep with packed learning rates grows by one learning rate,
/// only the added cells train; then its epochs are raised, and every cell trains on; the grid's packs are read back the
/// same from Redis by a silo started afterwards.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class ExtendEndToEndTests
{
    private const string Sweep = "e2e-extend";
    private const int Epochs = 5, Longer = 7;

    [Fact]
    public async Task SubmitExtend_AddsALearningRate_AndTheGridReadsBackTheSameAfterARestart()
    {
        await using var store = await ClusterStore.StartAsync("redis");
        using var dir = new TempDirectory("gg-extend");
        var silo = await StartSiloAsync("first", dir, store);
        try
        {
            var connect = store.ClientArgs(silo);
            var spec = TestSpecs.Write(dir, Sweep, ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0], Epochs, packing: "lr");
            // An extension of a sweep that is not there (a misspelt name) created it.
            var nothing = await Gradguess.RunAsync(["submit", spec, "--extend", .. connect], TimeSpan.FromMinutes(1));
            Assert.True(nothing.ExitCode == 2, nothing.ToString());
            Assert.Contains($"--extend: there is no sweep named '{Sweep}' to extend; submit it without --extend", nothing.Stderr);
            await Gradguess.OkAsync(["submit", spec, .. connect]);
            await Gradguess.OkAsync(["watch", Sweep, .. connect]);
            var before = await PacksAsync(connect);

            var grown = TestSpecs.Write(dir, Sweep, ["backprop", "wt"], ["adamw"], [1e-2, 1e-3, 1e-1], [0], Epochs, packing: "lr");
            var refused = await Gradguess.RunAsync(["submit", grown, .. connect], TimeSpan.FromMinutes(1));
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Contains("pass --extend", refused.Stderr);
            Assert.Contains($"extended sweep {Sweep}: 2 cells added in 2 packs (6 cells in 4 packs in all)",
                await Gradguess.OkAsync(["submit", grown, "--extend", .. connect]));
            Assert.Contains($"sweep {Sweep} completed: 6/6 cells done", await Gradguess.OkAsync(["watch", Sweep, .. connect]));
            var after = await PacksAsync(connect);
            Assert.All(before, cell => Assert.Equal(cell.Value, after[cell.Key]));   // the stored packs kept their cells

            var longer = TestSpecs.Write(dir, Sweep, ["backprop", "wt"], ["adamw"], [1e-2, 1e-3, 1e-1], [0], Longer, packing: "lr");
            Assert.Contains($"extended sweep {Sweep}: epochs {Epochs} -> {Longer}, 6 completed cells train on from their checkpoints (6 cells in 4 packs in all)",
                await Gradguess.OkAsync(["submit", longer, "--extend", .. connect]));
            Assert.Contains($"sweep {Sweep} completed: 6/6 cells done", await Gradguess.OkAsync(["watch", Sweep, .. connect]));
            Assert.Equal(after, await PacksAsync(connect));   // the same ids and packs

            Assert.True(silo.Process.Terminate(TimeSpan.FromSeconds(60)), "the first silo did not stop");
            silo.Dispose();
            silo = await StartSiloAsync("second", dir, store);
            connect = store.ClientArgs(silo);
            Assert.Equal(after, await PacksAsync(connect));
            var export = JsonNode.Parse(await Gradguess.OkAsync(["export", Sweep, "--format", "json", .. connect]))!.AsArray();
            CurveChecks.AssertCompleteWithoutDuplicates(export, cells: 6, Longer);
            Assert.Contains($"grown with --extend: learningRates +1e-1, then epochs {Epochs} -> {Longer}",
                await Gradguess.OkAsync(["status", Sweep, .. connect]));
        }
        finally
        {
            silo.Dispose();
        }
    }

    private static async Task<SiloProcess> StartSiloAsync(string name, TempDirectory dir, ClusterStore store)
    {
        var silo = SiloProcess.Start(name, dir, store.GpuSiloArgs(dir.Combine("checkpoints"), gpus: 2));
        await silo.WaitActiveAsync(TimeSpan.FromSeconds(90));
        return silo;
    }

    /// <summary>Cell id → pack id, from <c>status --json</c>.</summary>
    private static async Task<Dictionary<string, string>> PacksAsync(string[] connect)
    {
        var status = JsonNode.Parse(await Gradguess.OkAsync(["status", Sweep, "--json", .. connect]))!;
        return status["cells"]!.AsArray().ToDictionary(c => (string)c!["cellId"]!, c => (string)c!["packId"]!);
    }
}
