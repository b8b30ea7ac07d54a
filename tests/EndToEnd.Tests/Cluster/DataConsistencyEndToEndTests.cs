using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Tests.Shared;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Two silo processes whose MNIST caches ($XDG_CACHE_HOME) hold files that differ in one label, as two nodes with their own
/// downloads may: the sweep keeps the data its first pack read, and the packs on the other silo fail naming both,
/// instead of putting two data sets into one results table. With the files put right, resume finishes the sweep.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class DataConsistencyEndToEndTests
{
    private const string Sweep = "e2e-data";

    [Fact]
    public async Task Sweep_OnSilosWhoseDataFilesDiffer_FailsThePacksOfOneSilo_AndResumesOnceTheFilesAgree()
    {
        await using var store = await ClusterStore.StartAsync("redis");
        using var dir = new TempDirectory("gg-data");
        using var files = new DataFixtures();
        var caches = new[] { "a", "b" }.ToDictionary(n => n, n => Path.Combine(files.Dir, n));
        foreach (var name in caches.Keys) files.WriteIdxSet(train: 256, test: 64, gzip: false, sub: Path.Combine(name, "gradguess", "mnist"));
        string Labels(string silo) => Path.Combine(caches[silo[^1..]], "gradguess", "mnist", "train-labels-idx1-ubyte");
        DataFixtures.ChangeLastLabel(Labels("data-b"));

        // One simulated GPU each: the first admission starts a pack on each silo, so both read their files.
        var silos = caches.Select(c => SiloProcess.Start("data-" + c.Key, dir, store.GpuSiloArgs(dir.Combine("checkpoints"), gpus: 1),
            environment: new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = c.Value })).ToList();
        try
        {
            await Task.WhenAll(silos.Select(s => s.WaitActiveAsync(TimeSpan.FromSeconds(90))));
            var connect = store.ClientArgs(silos[0]);
            // Active is not yet counted: until the slot ledger counts both silos' slots, every pack could start on one.
            for (var deadline = DateTime.UtcNow.AddSeconds(60); ;)
            {
                var slots = JsonNode.Parse(await Gradguess.OkAsync(["slots", "--json", .. connect]))!["silos"]!.AsArray();
                if (slots.Count(s => s!["devices"]!.AsArray().Sum(d => (int)d!["slots"]!) > 0) == 2) break;
                Assert.True(DateTime.UtcNow < deadline, $"the slot ledger did not count both silos' slots: {slots.ToJsonString()}");
                await Task.Delay(500);
            }
            var client = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = caches["a"] };   // submit checks the data too
            var spec = TestSpecs.Write(dir, Sweep, ["backprop"], ["sgd"], [1e-1, 1e-2, 1e-3, 1e-4], [0], epochs: 3, data: "{ set: mnist }");
            var submitted = await Gradguess.RunAsync(["submit", spec, .. connect], environment: client);
            Assert.True(submitted.ExitCode == 0, submitted.ToString());

            var watched = await Gradguess.RunAsync(["watch", Sweep, .. connect]);
            var status = JsonNode.Parse(await Gradguess.OkAsync(["status", Sweep, "--json", .. connect]))!;
            var data = status["data"]!;
            var (first, other) = ((string)data["silo"]!, "data-" + ((string)data["silo"]! == "data-a" ? "b" : "a"));
            var cells = status["cells"]!.AsArray();
            var failed = cells.Where(c => (string)c!["state"]! == "failed").Select(c => (string)c!["error"]!).ToList();
            Assert.True(watched.ExitCode == 1, watched.ToString());
            Assert.NotEmpty(failed);
            Assert.Contains(cells, c => (string)c!["state"]! == "completed");
            Assert.Equal(cells.Count, failed.Count + cells.Count(c => (string)c!["state"]! == "completed"));
            var otherCache = caches[other[^1..]];
            Assert.All(failed, error => Assert.Matches(
                $"^mnist in {otherCache}/gradguess/mnist on silo {other} holds other data than this sweep trained on \\(mnist in "
                + $"{caches[first[^1..]]}/gradguess/mnist on silo {first}; data digest [0-9a-f]{{32}}, the sweep's {(string)data["digest"]!}\\): "
                + "give every silo the files the sweep trained on and resume it, or delete the sweep to run it on these$", error));

            // Whichever silo started first, its files are the sweep's: the other silo gets a copy of them.
            File.Copy(Labels(first), Labels(other), overwrite: true);
            await Gradguess.OkAsync(["resume", Sweep, .. connect]);
            Assert.Contains($"sweep {Sweep} completed: 4/4 cells done", await Gradguess.OkAsync(["watch", Sweep, .. connect]));
            var export = JsonNode.Parse(await Gradguess.OkAsync(["export", Sweep, "--format", "json", .. connect]))!.AsArray();
            CurveChecks.AssertCompleteWithoutDuplicates(export, cells: 4, epochs: 3);
        }
        finally
        {
            foreach (var silo in silos) silo.Dispose();
        }
    }
}
