using System.Text.Json.Nodes;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Tests.Shared;
using SkiaSharp;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>Acceptance: submit, watch, status, slots, results, export (CSV, JSON), plot, cancel, resume and delete as CLI processes
/// against a running silo process.</summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class VerbsEndToEndTests(SingleSiloFixture fixture) : IClassFixture<SingleSiloFixture>
{
    [Fact]
    public async Task Verbs_SubmitWatchResultsExportPlot_ShowTheWholeSweep()
    {
        const string sweep = "e2e-verbs";
        const int epochs = 6, cells = 8;
        var spec = TestSpecs.Write(fixture.Dir, sweep, ["backprop", "wt"], ["adamw", "sgd"], [1e-2, 1e-3], [0], epochs, cosineEvery: 3);
        Assert.Contains($"submitted sweep {sweep}: {cells} cells", await Gradguess.OkAsync(["submit", spec, .. fixture.Connect]));
        Assert.Contains("nothing changed", await Gradguess.OkAsync(["submit", spec, .. fixture.Connect]));

        var watchReport = fixture.Dir.Combine("watch-report");
        var watch = await Gradguess.OkAsync(["watch", sweep, "--interval", "0.3", "--report", watchReport, .. fixture.Connect]);
        Assert.Contains($"sweep {sweep} completed: {cells}/{cells} cells done, {cells * epochs}/{cells * epochs} epochs (100.0%)", watch);
        Assert.Contains("best learning rate per method", watch);   // then the results table

        var status = await Gradguess.OkAsync(["status", .. fixture.Connect]);
        Assert.Contains(sweep, status);
        // The sweep is done: the silo's two CPU slots are free, its packs hold none of its memory, and nobody waits (who
        // holds them is tested in-process).
        Assert.Matches(@"^1 silo, 0/2 training slots in use\n[\s\S]*single \(127\.0\.0\.1:\d+\)\s+cpu\s+0/2\s+0 B of [0-9.]+ [KMGT]iB\s+free",
            await Gradguess.OkAsync(["slots", .. fixture.Connect]));
        var slots = JsonNode.Parse(await Gradguess.OkAsync(["slots", "--json", .. fixture.Connect]))!;
        var device = slots["silos"]!.AsArray().Single()!["devices"]!.AsArray().Single()!;
        Assert.Equal(("cpu", 2, 0, 0L), ((string?)device["device"], (int)device["slots"]!, device["held"]!.AsArray().Count, (long)device["heldBytes"]!));
        Assert.True((long)device["memoryBytes"]! > 0, device.ToJsonString());
        Assert.Empty(slots["waiting"]!.AsArray());
        var results = JsonNode.Parse(await Gradguess.OkAsync(["results", sweep, "--json", .. fixture.Connect]))!;
        Assert.Equal("completed", (string?)results["state"]);
        var rows = results["rows"]!.AsArray();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Contains((double)r!["bestLearningRate"]!, new[] { 1e-2, 1e-3 }));
        var table = await Gradguess.OkAsync(["results", sweep, .. fixture.Connect]);
        foreach (var r in rows) Assert.Matches($@"{r!["method"]}\s+{r["optimizer"]}\s+1e-[23]", table);

        var csvPath = fixture.Dir.Combine("curves.csv");
        await Gradguess.OkAsync(["export", sweep, "--format", "csv", "--out", csvPath, .. fixture.Connect]);
        var csv = File.ReadAllLines(csvPath);
        Assert.StartsWith("sweep,cellId,method,optimizer,lr,seed,epoch,trainAccuracy,testAccuracy,trainLoss", csv[0]);
        Assert.Equal(cells * epochs, csv.Length - 1);
        // watch --report wrote the sweep's report as it ended, read from the cluster: its curves are the export's, and
        // report reads the same from the cluster afterwards.
        Assert.Equal(File.ReadAllText(csvPath), File.ReadAllText(Path.Combine(watchReport, "curves.csv")));
        var watchReadme = File.ReadAllText(Path.Combine(watchReport, "README.md"));
        Assert.Contains("from a running cluster", watchReadme);
        Assert.Contains($"# {sweep}\n", watchReadme);
        var laterReport = fixture.Dir.Combine("later-report");
        await Gradguess.OkAsync(["report", sweep, "--out", laterReport, .. fixture.Connect]);
        static IEnumerable<string> WithoutWhen(string readme) => readme.Split('\n').Where(l => !l.Contains("Written by `gradguess report` at", StringComparison.Ordinal));
        Assert.Equal(WithoutWhen(watchReadme), WithoutWhen(File.ReadAllText(Path.Combine(laterReport, "README.md"))));
        // The chosen rates' trained weights: the sweep read from the cluster, its checkpoints from the silo's checkpoint
        // directory (the shared volume of a real cluster).
        var weights = fixture.Dir.Combine("weights");
        var checkpoints = fixture.Dir.Combine("single", "checkpoints");
        await Gradguess.OkAsync(["weights", sweep, "--checkpoint-dir", checkpoints, "--best", "--out", weights, .. fixture.Connect]);
        var cellIds = csv.Skip(1).Select(l => l.Split(',')[1]).ToHashSet();
        foreach (var r in rows)
        {
            var file = Path.Combine(weights, $"{r!["method"]}-{r["optimizer"]}-lr{LearningRateText.Of((double)r["bestLearningRate"]!)}-seed0.safetensors");
            var meta = SafetensorsContent.Read(file).Metadata;
            Assert.Contains(meta["cellId"], cellIds);
            Assert.Equal((double)r["trainAccuracy"]!, double.Parse(meta["trainAccuracy"], System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(rows.Count, Directory.GetFiles(weights).Length);
        var unmounted = await Gradguess.RunAsync(["weights", sweep, "--best", "--out", weights, .. fixture.Connect]);
        Assert.Equal(2, unmounted.ExitCode);
        Assert.Contains("a cluster's sweep is read with --checkpoint-dir", unmounted.Stderr);
        var inspected = JsonNode.Parse(await Gradguess.OkAsync(["inspect", sweep, "--checkpoint-dir", checkpoints, "--json", .. fixture.Connect]))!;
        Assert.Equal(cells, inspected["packs"]!.AsArray().Sum(p => p!["cells"]!.AsArray().Count));
        Assert.All(inspected["packs"]!.AsArray(), p => Assert.Equal(epochs, (int)p!["epoch"]!));
        var json = JsonNode.Parse(await Gradguess.OkAsync(["export", sweep, "--format", "json", .. fixture.Connect]))!.AsArray();
        CurveChecks.AssertCompleteWithoutDuplicates(json, cells, epochs);
        // CSV and JSON carry the same rows.
        Assert.Equal(json.Select(r => $"{r!["cellId"]},{r["epoch"]}").Order(), csv.Skip(1).Select(l => string.Join(',', l.Split(',')[1], l.Split(',')[6])).Order());

        var png = fixture.Dir.Combine("curves.png");
        await Gradguess.OkAsync(["plot", sweep, "--out", png, "--width", "1000", "--height", "700", .. fixture.Connect]);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((1000, 700), (bitmap.Width, bitmap.Height));
        // Two methods (rows) × two optimizers (columns); each panel has one curve colour per learning rate.
        var colours = PngCurves.CountPaletteColours(bitmap, new PlotLayout(1000, 700, 2, 2));
        Assert.Equal(4, colours.Count);
        Assert.All(colours, panel => Assert.Equal(2, panel.Value));

        // The cosines too: backprop's are 1 for both LRs (its update is the true gradient: one line hides the other),
        // wt's a fraction of that and different per LR, each method on its own axis.
        var cosine = fixture.Dir.Combine("cosine.png");
        await Gradguess.OkAsync(["plot", sweep, "--metric", "cosine", "--out", cosine, "--width", "1000", "--height", "700", .. fixture.Connect]);
        using var cosineBitmap = SKBitmap.Decode(cosine);
        var cosineColours = PngCurves.CountPaletteColours(cosineBitmap, new PlotLayout(1000, 700, 2, 2));
        Assert.Equal([1, 1, 2, 2], cosineColours.OrderBy(kv => kv.Key).Select(kv => Math.Min(kv.Value, kv.Key.Row + 1)));
        Assert.All(cosineColours, panel => Assert.True(panel.Value >= panel.Key.Row + 1, $"panel {panel.Key}: {panel.Value} colours"));
    }

    [Fact]
    public async Task Verbs_CancelThenResume_FinishesEveryCurveOnce()
    {
        const string sweep = "e2e-cancel";
        // Long enough that the delete and the cancel (two CLI process starts, 1-3 s each) land mid-sweep: with 150 epochs
        // an unloaded CI machine finished all four cells (two slots, a few ms an epoch) before they arrived.
        const int epochs = 1500, cells = 4;
        var spec = TestSpecs.Write(fixture.Dir, sweep, ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0], epochs);
        // Connected before the submit: a connection made after it (seconds on a loaded machine) ate into the cells' epochs.
        await using var client = await TestClient.ConnectAsync(fixture.ClusterId, null, fixture.Silo.GatewayPort);
        await Gradguess.OkAsync(["submit", spec, .. fixture.Connect]);
        await client.WaitForAsync(sweep, s => s.Cells.Any(c => c.State == CellState.Running && c.Epoch >= 5), TimeSpan.FromSeconds(60));

        var delete = await Gradguess.RunAsync(["delete", sweep, "--yes", .. fixture.Connect]);
        Assert.Equal((2, $"gradguess: sweep {sweep} is running: cancel it first (gradguess cancel {sweep}), then delete it"),
            (delete.ExitCode, delete.Stderr.Trim()));

        Assert.Contains($"cancelled sweep {sweep}", await Gradguess.OkAsync(["cancel", sweep, .. fixture.Connect]));
        var cancelled = await client.WaitForAsync(sweep, s => s.IsFinished, TimeSpan.FromSeconds(30));
        Assert.Equal(SweepState.Cancelled, cancelled.State);
        Assert.Contains(cancelled.Cells, c => c.State == CellState.Cancelled);
        var status = JsonNode.Parse(await Gradguess.OkAsync(["status", sweep, "--json", .. fixture.Connect]))!;
        Assert.Equal("cancelled", (string?)status["state"]);
        await Task.Delay(1500);   // a cancelled sweep does not train on
        Assert.Equal(cancelled.EpochsDone, (await client.StatusAsync(sweep))!.EpochsDone);
        // Followed to a cancelled end, a watch fails, so that `submit --watch && export` does not export part of the grid.
        var watched = await Gradguess.RunAsync(["watch", sweep, .. fixture.Connect]);
        Assert.Equal(1, watched.ExitCode);
        Assert.Contains($"sweep {sweep} was cancelled: ", watched.Stderr);
        Assert.Contains($"did not finish; gradguess resume {sweep} retries them", watched.Stderr);

        Assert.Contains($"resumed sweep {sweep}", await Gradguess.OkAsync(["resume", sweep, .. fixture.Connect]));
        // Followed to its end, which is thousands of epochs: a CI run on a loaded 2-core machine took longer than the
        // default 2 minutes.
        Assert.Contains("completed", await Gradguess.OkAsync(TimeSpan.FromMinutes(8), ["watch", sweep, .. fixture.Connect]));
        var json = JsonNode.Parse(await Gradguess.OkAsync(["export", sweep, "--format", "json", .. fixture.Connect]))!.AsArray();
        CurveChecks.AssertCompleteWithoutDuplicates(json, cells, epochs);
    }

    [Fact]
    public async Task Verbs_BadInput_ExitTwoWithOneLine_UnreachableClusterExitsOne()
    {
        var missing = await Gradguess.RunAsync(["status", "no-such-sweep", .. fixture.Connect]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("gradguess: no sweep named 'no-such-sweep'", missing.Stderr.Trim());

        var badSpec = fixture.Dir.Combine("bad.yaml");
        File.WriteAllText(badSpec, "name: Bad Name\ndata: { set: synthetic }\nmethods: [nope]\noptimizers: [adamw]\nlearningRates: [-1]\nepochs: 1\n");
        var bad = await Gradguess.RunAsync(["submit", badSpec, .. fixture.Connect]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.Stderr.Trim().Split('\n'));
        Assert.Contains("methods", bad.Stderr);

        var badFormat = await Gradguess.RunAsync(["export", "x", "--format", "xml", .. fixture.Connect]);
        Assert.Equal(2, badFormat.ExitCode);

        var unreachable = await Gradguess.RunAsync(["status", "--gateway", $"127.0.0.1:{FreePorts.Next()}", "--connect-timeout", "2"]);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("cannot reach", unreachable.Stderr);
    }
}
