using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Tests.Shared;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary><c>gradguess local</c> as a user runs it: the real client process.</summary>
public sealed class LocalCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-local-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> BadSpecs()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "bad-specs"), "*.yaml").Order())
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Local_BadSpec_ExitsTwoWithOneLineAndLeavesNoState(string file)
    {
        var state = Path.Combine(_dir, "state");
        var spec = Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "bad-specs", file);

        var result = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("gradguess: invalid sweep spec", line);
        Assert.Contains(file, line);
        Assert.Equal("", result.Stdout);
        Assert.False(Directory.Exists(state), "a rejected spec must leave no state behind");
    }

    [Fact]
    public void Local_SmallSweep_CompletesWithTableThenResubmitResumesAndChangedSpecIsRefused()
    {
        var state = Path.Combine(_dir, "state");
        var spec = LocalSpecs.Write(_dir, "small", epochs: 2);

        var first = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        var again = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        var changed = CliRunner.Run("local", LocalSpecs.Write(_dir, "small", epochs: 2, checkpointEvery: 1), "--state-dir", state, "--metrics-port", "0");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("results of small (completed)", first.Stdout);
        Assert.Contains("backprop", first.Stdout);
        Assert.Contains("wt", first.Stdout);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("already complete", again.Stderr);
        Assert.Equal(2, changed.ExitCode);
        var line = Assert.Single(changed.StderrLines);
        Assert.Contains("already exists with a different spec", line);
        Assert.Contains("checkpointEvery: stored 2, submitted 1", line);
    }

    [Fact]
    public void Local_SpecRaisingEpochs_WithExtendTrainsTheCellsOn_AsALongerRunWouldHave()
    {
        var (state, straight) = (Path.Combine(_dir, "state"), Path.Combine(_dir, "straight"));
        var first = CliRunner.Run("local", LocalSpecs.Write(_dir, "longer", epochs: 3), "--state-dir", state, "--metrics-port", "0", "--cpu-slots", "2");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var before = Rows(state);
        var longer = LocalSpecs.Write(_dir, "longer", epochs: 5);

        var refused = CliRunner.Run("local", longer, "--state-dir", state, "--metrics-port", "0");
        var shorter = LocalSpecs.Write(Directory.CreateDirectory(Path.Combine(_dir, "shorter")).FullName, "longer", epochs: 2);
        var lower = CliRunner.Run("local", shorter, "--state-dir", state, "--metrics-port", "0", "--extend");
        var extended = CliRunner.Run("local", longer, "--state-dir", state, "--metrics-port", "0", "--extend", "--cpu-slots", "2");
        var reference = CliRunner.Run("local", longer, "--state-dir", straight, "--metrics-port", "0", "--cpu-slots", "2");

        Assert.Equal(2, lower.ExitCode);
        Assert.Contains("epochs: stored 3, submitted 2: an extension may raise epochs, not lower them", lower.Stderr);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("this spec raises its epochs (pass --extend to train its cells on to the new end", Assert.Single(refused.StderrLines));
        Assert.True(extended.ExitCode == 0, extended.Stderr);
        Assert.Contains("epochs 3 -> 5, 4 completed cells train on from their checkpoints (4 cells in 4 packs in all); resuming", extended.Stderr);
        Assert.Contains("results of longer (completed)", extended.Stdout);
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        // The stored epochs are kept as they were, and the curves go on bit for bit as a 5-epoch run trained straight.
        var after = Rows(state);
        Assert.Equal(before.Select(r => r.ToJsonString()), after.Where(r => (int)r["epoch"]! <= 3).Select(r => r.ToJsonString()));
        Assert.Equal(Numbers(Rows(straight)), Numbers(after));
        Assert.Equal(20, after.Count);
        // Status and the report say how it grew, and the report that a fresh run of its spec names the cells otherwise.
        var status = CliRunner.Run("status", "longer", "--state-dir", state);
        Assert.Contains("grown with --extend: epochs 3 -> 5", status.StdoutLines);
        var growth = System.Text.Json.Nodes.JsonNode.Parse(CliRunner.Run("status", "longer", "--state-dir", state, "--json").Stdout)!["growth"]!.AsArray();
        var step = Assert.Single(growth)!;
        Assert.Equal((3, 5, 0), ((int)step["epochsBefore"]!, (int)step["epochsAfter"]!, step["learningRates"]!.AsArray().Count));
        var report = CliRunner.Run("report", "longer", "--state-dir", state, "--out", Path.Combine(_dir, "report"));
        Assert.True(report.ExitCode == 0, report.Stderr);
        var readme = File.ReadAllText(Path.Combine(_dir, "report", "README.md"));
        Assert.Contains("Grown with `--extend`: epochs 3 -> 5; the cells a step added or lengthened trained in a later run", readme);
        Assert.Contains("under other cell ids: this sweep's cells were named when it had 3 epochs", readme);
    }

    private static List<JsonNode> Rows(string state)
    {
        var export = CliRunner.Run("export", "longer", "--state-dir", state, "--format", "json");
        Assert.True(export.ExitCode == 0, export.Stderr);
        return [.. JsonNode.Parse(export.Stdout)!.AsArray().Select(r => r!)];
    }

    /// <summary>What training computed, by cell and epoch (not the cell ids, timings or status).</summary>
    private static List<string> Numbers(IEnumerable<JsonNode> rows) =>
        [.. rows.Select(r => $"{r["method"]} {r["lr"]} {r["epoch"]} {r["trainAccuracy"]} {r["testAccuracy"]} {r["trainLoss"]}").Order()];

    [Fact]
    public void Local_SpecAddingALearningRate_IsRefusedWithTheWay_AndWithExtendTrainsOnlyTheAddedCells()
    {
        var state = Path.Combine(_dir, "state");
        var first = CliRunner.Run("local", LocalSpecs.Write(_dir, "grown", epochs: 2), "--state-dir", state, "--metrics-port", "0", "--gpus", "0");
        Assert.True(first.ExitCode == 0, first.Stderr);
        int cores = Environment.ProcessorCount;                           // without --cpu-slots or GPUs: a pack per core
        Assert.Contains($"; state in {state}; {cores} pack{(cores == 1 ? "" : "s")} at once on the CPU", first.Stderr);
        var before = JsonNode.Parse(CliRunner.Run("export", "grown", "--state-dir", state, "--format", "json").Stdout)!.AsArray();
        var grown = LocalSpecs.Write(_dir, "grown", epochs: 2, learningRates: "1.0e-2, 1.0e-3, 1.0e-1");

        var refused = CliRunner.Run("local", grown, "--state-dir", state, "--metrics-port", "0");
        var extended = CliRunner.Run("local", grown, "--state-dir", state, "--metrics-port", "0", "--extend", "--cpu-slots", "1");
        var again = CliRunner.Run("local", grown, "--state-dir", state, "--metrics-port", "0", "--extend");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("this spec adds values to its grid (pass --extend", Assert.Single(refused.StderrLines));
        Assert.True(extended.ExitCode == 0, extended.Stderr);
        Assert.Contains("sweep grown found in", extended.Stderr);
        Assert.Contains("2 cells added in 2 packs (6 cells in 6 packs in all); resuming; 1 pack at once on the CPU", extended.Stderr);
        Assert.Contains("results of grown (completed)", extended.Stdout);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.DoesNotContain("added", again.Stderr);
        // The stored cells' rows are as they were; the added learning rate has a whole curve for each method.
        var after = JsonNode.Parse(CliRunner.Run("export", "grown", "--state-dir", state, "--format", "json").Stdout)!.AsArray();
        Assert.Equal(before.Select(r => r!.ToJsonString()), after.Where(r => (double)r!["lr"]! != 0.1).Select(r => r!.ToJsonString()));
        Assert.Equal(["backprop 1", "backprop 2", "wt 1", "wt 2"],
            after.Where(r => (double)r!["lr"]! == 0.1).Select(r => $"{r!["method"]} {r["epoch"]}").Order());
    }

    [Fact]
    public void Local_ExtendingASweepAfterItsDataFilesChanged_FailsTheAddedCellsNamingBothDigests_UntilTheFilesArePutBack()
    {
        var state = Path.Combine(_dir, "state");
        using var files = new DataFixtures();
        var data = files.WriteIdxSet(train: 256, test: 64, gzip: false);
        string Spec(string learningRates)
        {
            var path = Path.Combine(_dir, "digits.yaml");
            File.WriteAllText(path, $$"""
                name: digits
                data: { set: mnist, dir: {{data}} }
                model: { depth: 1, width: 16 }
                methods: [backprop]
                optimizers: [sgd]
                learningRates: [{{learningRates}}]
                seeds: [0]
                epochs: 2
                batchSize: 64
                """);
            return path;
        }
        var first = CliRunner.Run("local", Spec("1.0e-2"), "--state-dir", state, "--metrics-port", "0");
        var status = CliRunner.Run("status", "digits", "--state-dir", state);
        var digest = (string)JsonNode.Parse(CliRunner.Run("status", "digits", "--state-dir", state, "--json").Stdout)!["data"]!["digest"]!;
        var labels = Path.Combine(data, "train-labels-idx1-ubyte");
        var original = File.ReadAllBytes(labels);
        DataFixtures.ChangeLastLabel(labels);
        var refused = CliRunner.Run("local", Spec("1.0e-2, 1.0e-3"), "--state-dir", state, "--metrics-port", "0", "--extend");
        File.WriteAllBytes(labels, original);
        var retried = CliRunner.Run("local", Spec("1.0e-2, 1.0e-3"), "--state-dir", state, "--metrics-port", "0", "--extend");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains($"data: mnist in {data} (digest {digest}, first read on silo local)", status.Stdout);
        Assert.Equal(1, refused.ExitCode);
        Assert.Matches($"^1 cell failed, first backprop sgd lr=1e-3 seed=0: mnist in {Regex.Escape(data)} holds other data than this sweep "
            + $"trained on \\(data digest [0-9a-f]{{32}} now, the sweep's {digest}\\): put back the files the sweep trained on and resume it, "
            + "or delete the sweep to run it on these$", refused.StderrLines[^2]);
        Assert.True(retried.ExitCode == 0, retried.Stderr);
        Assert.Contains("re-queued 1 failed or cancelled cells", retried.Stderr);
        Assert.Contains("sweep digits completed: 2/2 cells done", retried.Stdout);
    }

    [Fact]
    public void Local_CellsThatFail_ExitOne_SayHowManyWhyAndHowToRetry_AndTheSameCommandRetriesThem()
    {
        var state = Path.Combine(_dir, "state");
        var spec = LocalSpecs.Write(_dir, "blocked", epochs: 2, checkpointEvery: 1);
        // A file where the sweep's checkpoint directory belongs: every pack fails at its first checkpoint.
        var blocker = Path.Combine(state, "checkpoints", "blocked");
        Directory.CreateDirectory(Path.GetDirectoryName(blocker)!);
        File.WriteAllText(blocker, "");

        var failed = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        File.Delete(blocker);
        var retried = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("sweep blocked completed: 0/4 cells done (failed 4)", failed.Stdout);
        Assert.Contains(failed.StderrLines, l => l.StartsWith("4 cells failed, first ", StringComparison.Ordinal) && l.Contains(blocker));
        Assert.Equal("the same command again retries them", failed.StderrLines[^1]);
        Assert.True(retried.ExitCode == 0, retried.Stderr);
        Assert.Contains("re-queued 4 failed or cancelled cells", retried.Stderr);
        Assert.Contains("sweep blocked completed: 4/4 cells done", retried.Stdout);
        Assert.DoesNotContain("failed,", retried.Stderr);
    }

    [Theory]
    [InlineData("--cpu-slots", "0", "no cell could ever start")]
    [InlineData("--gpus", "1", "TorchSharp sees 0 CUDA devices")]    // a CPU build (the test suite's)
    [InlineData("--slots-per-gpu", "0", "--slots-per-gpu must be 1 to 1024, got 0")]
    [InlineData("--cpu-slots", "2000000000", "--cpu-slots must be at most 1024, got 2000000000")]   // "unlimited" overflowed the ledger
    public void Local_SlotsThatCouldNeverTrain_ExitTwoBeforeTouchingTheStateDir(string option, string value, string message)
    {
        var state = Path.Combine(_dir, "never");
        var result = CliRunner.Run("local", LocalSpecs.Write(_dir, "never", epochs: 1), "--state-dir", state, "--metrics-port", "0", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(state));
    }

    [Fact]
    public void Local_ExtendOfASweepTheDirectoryDoesNotHold_ExitsTwoBeforeTouchingIt()
    {
        // An extension of a sweep that is not there (a misspelt name, another directory) created it.
        var state = Path.Combine(_dir, "fresh");
        var result = CliRunner.Run("local", LocalSpecs.Write(_dir, "absent", epochs: 1), "--state-dir", state, "--metrics-port", "0", "--extend");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"gradguess: --extend: there is no sweep named 'absent' in {state} to extend; run it without --extend",
            Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(state));
    }

    [Theory]
    [InlineData("FILE", "is a file")]
    [InlineData("FILE/sub", "a parent is a file")]
    [InlineData("/proc/gg", "cannot create: ")]
    [InlineData("/proc", "not writable")]
    public void Local_UnusableStateDir_ExitsTwoWithOneLineSayingWhy(string stateDir, string reason)
    {
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        stateDir = stateDir.Replace("FILE", file, StringComparison.Ordinal);
        var result = CliRunner.Run("local", LocalSpecs.Write(_dir, "f", epochs: 1), "--state-dir", stateDir, "--metrics-port", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"gradguess: --state-dir {stateDir}: {reason}", Assert.Single(result.StderrLines));
    }

    [Fact]
    public void Results_UnderAnotherRule_ReRanksWhatTheSweepStored()
    {
        var (state, _) = CompletedLocalRun("rerank", epochs: 3);

        var reranked = CliRunner.Run("results", "rerank", "--state-dir", state, "--metric", "testAccuracy", "--at", "best", "--json");
        Assert.True(reranked.ExitCode == 0, reranked.Stderr);
        Assert.Contains("re-ranked by best test accuracy; the spec selects by final train accuracy", reranked.Stderr);
        var results = JsonNode.Parse(reranked.Stdout)!;
        Assert.Equal("testAccuracy", (string?)results["selection"]!["metric"]);
        Assert.Equal("best", (string?)results["selection"]!["at"]);

        // Independently, from the exported curves (one seed): per method, the LR with the highest test accuracy of
        // any evaluated epoch (ties: the spec's first LR, 1e-2), and that accuracy.
        var export = CliRunner.Run("export", "rerank", "--state-dir", state, "--format", "json");
        Assert.True(export.ExitCode == 0, export.Stderr);
        var curves = JsonNode.Parse(export.Stdout)!.AsArray();
        foreach (var row in results["rows"]!.AsArray())
        {
            var best = curves.Where(c => (string?)c!["method"] == (string?)row!["method"])
                .GroupBy(c => (double)c!["lr"]!, c => (double)c!["testAccuracy"]!)
                .Select(g => (Lr: g.Key, Test: g.Max()))
                .OrderByDescending(b => b.Test).ThenByDescending(b => b.Lr).First();
            Assert.Equal(best.Test, (double)row!["testAccuracy"]!, 12);
            Assert.Equal(best.Lr, (double)row["bestLearningRate"]!);
        }

        var bad = CliRunner.Run("results", "rerank", "--state-dir", state, "--at", "worst");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("worst", bad.Stderr);

        // The same ranking as Markdown: a row per JSON row, with its LR and accuracy; and one format at a time.
        var markdown = CliRunner.Run("results", "rerank", "--state-dir", state, "--metric", "testAccuracy", "--at", "best", "--markdown");
        Assert.True(markdown.ExitCode == 0, markdown.Stderr);
        Assert.Contains("by best test accuracy", markdown.Stderr);
        var rows = markdown.StdoutLines.Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.Equal(results["rows"]!.AsArray().Count, rows.Count);
        foreach (var (row, line) in results["rows"]!.AsArray().Zip(rows))
            Assert.StartsWith($"| {row!["method"]} | {row["optimizer"]} | {ResultsTable.Lr((double)row["bestLearningRate"]!)}", line);
        var both = CliRunner.Run("results", "rerank", "--state-dir", state, "--json", "--markdown");
        Assert.Equal(2, both.ExitCode);
        Assert.Equal("gradguess: --json and --markdown: choose one", Assert.Single(both.StderrLines));

        // As a LaTeX tabular: a row per method (one optimizer here), with the JSON row's rate and accuracies in per cent.
        var latex = CliRunner.Run("results", "rerank", "--state-dir", state, "--metric", "testAccuracy", "--at", "best", "--latex");
        Assert.True(latex.ExitCode == 0, latex.Stderr);
        Assert.StartsWith("% results of rerank (completed): best learning rate per method × optimizer by best test accuracy", latex.StdoutLines[0]);
        foreach (var row in results["rows"]!.AsArray())
        {
            static string Percent(JsonNode? value) => (100 * (double)value!).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
            var line = Assert.Single(latex.StdoutLines, l => l.StartsWith(LatexText.MethodName((string)row!["method"]!) + " & ", StringComparison.Ordinal));
            Assert.StartsWith($"{LatexText.MethodName((string)row!["method"]!)} & {LatexText.Rate((double)row["bestLearningRate"]!)}", line);
            Assert.EndsWith($" & {Percent(row["trainAccuracy"])} & {Percent(row["testAccuracy"])} \\\\", line);
        }
        Assert.Equal("gradguess: --markdown and --latex: choose one",
            Assert.Single(CliRunner.Run("results", "rerank", "--state-dir", state, "--latex", "--markdown").StderrLines));
        // --budget as a LaTeX tabular: epoch 1 (a third of 3 rounds down to it) beside the end.
        var budget = CliRunner.Run("results", "rerank", "--state-dir", state, "--latex", "--budget");
        Assert.True(budget.ExitCode == 0, budget.Stderr);
        Assert.Contains(" & & \\multicolumn{2}{c}{Epoch 1} & \\multicolumn{2}{c}{Epoch 3} \\\\", budget.StdoutLines);
    }

    [Fact]
    public void Results_AtAnEpoch_RankEachCurveThere_AndAnEpochOutsideTheSweepIsRefused()
    {
        var (state, _) = CompletedLocalRun("atepoch", epochs: 4);

        var ranked = CliRunner.Run("results", "atepoch", "--state-dir", state, "--at", "2", "--json");
        Assert.True(ranked.ExitCode == 0, ranked.Stderr);
        Assert.Contains("re-ranked by train accuracy at epoch 2; the spec selects by final train accuracy", ranked.Stderr);
        var results = JsonNode.Parse(ranked.Stdout)!;
        Assert.Equal("epoch", (string?)results["selection"]!["at"]);
        Assert.Equal(2, (int)results["selection"]!["epoch"]!);

        // Independently, from the exported curves (one seed): per method, the LR with the highest train accuracy at
        // epoch 2, and its test accuracy there; not what the final epoch would pick, where the two differ.
        var export = CliRunner.Run("export", "atepoch", "--state-dir", state, "--format", "json");
        Assert.True(export.ExitCode == 0, export.Stderr);
        var atTwo = JsonNode.Parse(export.Stdout)!.AsArray().Where(r => (int)r!["epoch"]! == 2).ToList();
        foreach (var row in results["rows"]!.AsArray())
        {
            var best = atTwo.Where(r => (string?)r!["method"] == (string?)row!["method"])
                .OrderByDescending(r => (double)r!["trainAccuracy"]!).First()!;
            Assert.Equal((double)best["lr"]!, (double)row!["bestLearningRate"]!);
            Assert.Equal((double)best["trainAccuracy"]!, (double)row["trainAccuracy"]!, 12);
            Assert.Equal((double)best["testAccuracy"]!, (double)row["testAccuracy"]!, 12);
            Assert.Equal(2, (int)row["cellsFinished"]!);
        }

        foreach (var (at, error) in new[]
                 {
                     ("5", "gradguess: --at 5: sweep 'atepoch' trains 4 epochs"),
                     ("0", "--at must be final, best or an epoch (a whole number from 1), got '0'"),
                     ("2.5", "--at must be final, best or an epoch (a whole number from 1), got '2.5'"),
                 })
        {
            var bad = CliRunner.Run("results", "atepoch", "--state-dir", state, "--at", at);
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains(error, bad.Stderr);
        }
    }

    [Fact]
    public void Results_OverAWindow_RankEachCurvesMeanOverItsLastOrBestEvaluations_AndAWindowThatReadsNothingIsRefused()
    {
        var (state, _) = CompletedLocalRun("windowed", epochs: 4);

        var ranked = CliRunner.Run("results", "windowed", "--state-dir", state, "--window", "3", "--json");
        Assert.True(ranked.ExitCode == 0, ranked.Stderr);
        Assert.Contains("re-ranked by train accuracy averaged over the last 3 evaluations; the spec selects by final train accuracy", ranked.Stderr);
        var results = JsonNode.Parse(ranked.Stdout)!;
        Assert.Equal(3, (int)results["selection"]!["window"]!);

        // Independently, from the exported curves (one seed): per method, the LR whose train accuracy over epochs 2-4 has
        // the highest mean, its mean test accuracy there, and the runner-up with the lead over it.
        var export = CliRunner.Run("export", "windowed", "--state-dir", state, "--format", "json");
        Assert.True(export.ExitCode == 0, export.Stderr);
        var window = JsonNode.Parse(export.Stdout)!.AsArray().Where(r => (int)r!["epoch"]! >= 2).ToList();
        foreach (var row in results["rows"]!.AsArray())
        {
            var byTrain = window.Where(r => (string?)r!["method"] == (string?)row!["method"])
                .GroupBy(r => (double)r!["lr"]!)
                .Select(g => (Lr: g.Key, Train: g.Average(r => (double)r!["trainAccuracy"]!), Test: g.Average(r => (double)r!["testAccuracy"]!)))
                .OrderByDescending(b => b.Train).ToList();
            var (best, next) = (byTrain[0], byTrain[1]);
            Assert.Equal(best.Lr, (double)row!["bestLearningRate"]!);
            Assert.Equal(best.Train, (double)row["trainAccuracy"]!, 12);
            Assert.Equal(best.Test, (double)row["testAccuracy"]!, 12);
            Assert.Equal(next.Lr, (double)row["runnerUpLearningRate"]!);
            Assert.Equal(best.Train - next.Train, (double)row["lead"]!, 12);
        }

        // With --at best: per LR the best mean of two consecutive epochs, and the test accuracy's mean over those two.
        var atBest = CliRunner.Run("results", "windowed", "--state-dir", state, "--window", "2", "--at", "best", "--json");
        Assert.True(atBest.ExitCode == 0, atBest.Stderr);
        Assert.Contains("re-ranked by best train accuracy averaged over 2 consecutive evaluations", atBest.Stderr);
        var all = JsonNode.Parse(export.Stdout)!.AsArray();
        foreach (var row in JsonNode.Parse(atBest.Stdout)!["rows"]!.AsArray())
        {
            var pairs = all.Where(r => (string?)r!["method"] == (string?)row!["method"]).GroupBy(r => (double)r!["lr"]!)
                .SelectMany(g =>
                {
                    var curve = g.OrderBy(r => (int)r!["epoch"]!).ToList();
                    return curve.Zip(curve.Skip(1), (x, y) => (Lr: g.Key,
                        Train: ((double)x!["trainAccuracy"]! + (double)y!["trainAccuracy"]!) / 2,
                        Test: ((double)x["testAccuracy"]! + (double)y["testAccuracy"]!) / 2));
                })
                .OrderByDescending(p => p.Train).First();
            Assert.Equal(pairs.Lr, (double)row!["bestLearningRate"]!);
            Assert.Equal(pairs.Train, (double)row["trainAccuracy"]!, 12);
            Assert.Equal(pairs.Test, (double)row["testAccuracy"]!, 12);
        }

        // The curves drawn as their trailing means over 3 points: another picture; no points is no curve.
        var (plain, smoothed) = (Path.Combine(_dir, "plain.png"), Path.Combine(_dir, "smoothed.png"));
        Assert.Equal(0, CliRunner.Run("plot", "windowed", "--state-dir", state, "--out", plain).ExitCode);
        var smooth = CliRunner.Run("plot", "windowed", "--state-dir", state, "--out", smoothed, "--smooth", "3");
        Assert.True(smooth.ExitCode == 0, smooth.Stderr);
        Assert.NotEqual(File.ReadAllBytes(plain), File.ReadAllBytes(smoothed));
        var noPoints = CliRunner.Run("plot", "windowed", "--state-dir", state, "--out", smoothed, "--smooth", "0");
        Assert.Equal(2, noPoints.ExitCode);
        Assert.Equal("gradguess: --smooth must be a whole number of points from 1 to 10000, got 0", Assert.Single(noPoints.StderrLines));

        foreach (var (args, error) in new[]
                 {
                     (new[] { "--window", "5" }, "gradguess: --window 5: a window of 5 evaluations, but each curve holds 4 up to epoch 4 (one per epoch)"),
                     (["--window", "5", "--at", "best"], "gradguess: --window 5: a window of 5 evaluations, but each curve holds 4 up to epoch 4 (one per epoch)"),
                     (["--window", "3", "--at", "2"], "gradguess: --window 3: a window of 3 evaluations, but each curve holds 2 up to epoch 2 (one per epoch)"),
                     (["--window", "0"], "gradguess: --window 0: must be between 1 and 1000000"),
                 })
        {
            var bad = CliRunner.Run(["results", "windowed", "--state-dir", state, .. args]);
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains(error, bad.Stderr);
        }
    }

    [Fact]
    public void Diagnostics_SummariseEachCellsStoredCurve()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(LocalSpecs.Write(_dir, "diag", epochs: 4, extra: "diagnostics: { cosineEvery: 2, effectiveRank: true }"), state);

        var json = CliRunner.Run("diagnostics", "diag", "--state-dir", state, "--window", "2", "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        var cells = JsonNode.Parse(json.Stdout)!["cells"]!.AsArray();
        Assert.Equal(4, cells.Count);

        // Independently, from the exported curves: each cell's mean cosine of epochs 1-2 and 3-4, its ranks at epochs 1
        // and 4, its final accuracies.
        var export = JsonNode.Parse(CliRunner.Run("export", "diag", "--state-dir", state, "--format", "json").Stdout)!.AsArray();
        static double[] Ranks(JsonNode? ranks) => ranks!.AsArray().Select(v => (double)v!).ToArray();
        foreach (var cell in cells)
        {
            var rows = export.Where(r => (string?)r!["cellId"] == (string?)cell!["cellId"]).ToList();
            Assert.Equal(4, rows.Count);
            Assert.Equal(rows.Take(2).Average(r => (double)r!["cosineSimilarity"]!), (double)cell!["cosineFirst"]!, 12);
            Assert.Equal(rows.Skip(2).Average(r => (double)r!["cosineSimilarity"]!), (double)cell["cosineLast"]!, 12);
            Assert.Equal(Ranks(rows[0]!["effectiveRank"]), Ranks(cell["rankFirst"]));
            Assert.Equal(Ranks(rows[3]!["effectiveRank"]), Ranks(cell["rankLast"]));
            Assert.Equal(3, Ranks(cell["rankLast"]).Length);   // depth 2: three weight matrices
            Assert.All(rows, r => Assert.Equal(3, r!["layerStepCosine"]!.AsArray().Count));
            Assert.All(rows, r => Assert.Equal(1.0, r!["layerStepShare"]!.AsArray().Sum(v => (double)v!), 4));
            Assert.Equal((double)rows[3]!["trainAccuracy"]!, (double)cell["trainAccuracy"]!);
            Assert.Equal((4, "completed"), ((int)cell["epoch"]!, (string?)cell["state"]));
            // Per layer (--layers' figures): each the exported epochs' mean of that layer's entry; the overlap Σ √(a·b).
            static double Layer(IEnumerable<JsonNode?> rows, string figure, int l) => rows.Average(r => (double)r![figure]![l]!);
            var layers = cell["layers"]!.AsArray();
            Assert.Equal(3, layers.Count);
            for (int l = 0; l < 3; l++)
            {
                Assert.Equal(Layer(rows.Take(2), "layerCosineSimilarity", l), (double)layers[l]!["cosineFirst"]!, 12);
                Assert.Equal(Layer(rows.Skip(2), "layerStepCosine", l), (double)layers[l]!["stepCosineLast"]!, 12);
                Assert.Equal(Layer(rows.Take(2), "layerGradientShare", l), (double)layers[l]!["gradientShareFirst"]!, 12);
                Assert.Equal(Layer(rows.Skip(2), "layerUpdateShare", l), (double)layers[l]!["updateShareLast"]!, 12);
            }
            Assert.Equal(Enumerable.Range(0, 3).Sum(l => Math.Sqrt(Layer(rows.Skip(2), "layerGradientShare", l) * Layer(rows.Skip(2), "layerStepShare", l))),
                (double)cell["stepOverlapLast"]!, 12);
            // The rms cosine: the window's mean projection over its RMS length, from the exported epochs.
            var last = rows.Skip(2).ToList();
            double projection = last.Average(r => (double)r!["gradientProjection"]!);
            double rms = Math.Sqrt(last.Average(r => Math.Pow((double)r!["updateNormRatio"]!, 2)));
            Assert.Equal(projection, (double)cell["projectionLast"]!, 12);
            Assert.Equal(projection / rms, (double)cell["rmsCosineLast"]!, 12);
            Assert.Equal(last.Average(r => (double)r!["stepCosine"]!), (double)cell["stepCosineLast"]!, 12);
            // Backprop's update is the true gradient; W^T's guess is not.
            if ((string?)cell["method"] == "backprop")
                Assert.Equal((1.0, 1.0, 1.0), (Math.Round((double)cell["cosineLast"]!, 5), Math.Round(projection, 5), Math.Round(rms, 5)));
            else Assert.True((double)cell["cosineLast"]! < 0.99 && (double)cell["rmsCosineLast"]! < 0.99, $"wt's cosines {cell["cosineLast"]}, {cell["rmsCosineLast"]}");
        }

        // The same cells as Markdown (the header, then a row each), the default window a tenth of the epochs (here 1).
        var markdown = CliRunner.Run("diagnostics", "diag", "--state-dir", state, "--markdown");
        Assert.True(markdown.ExitCode == 0, markdown.Stderr);
        Assert.Equal(1 + cells.Count, markdown.StdoutLines.Count(l => l.StartsWith("| ", StringComparison.Ordinal)));
        Assert.Contains("cosine with the true gradient, at epoch 1 → at its last", markdown.Stderr);
        var perLayer = CliRunner.Run("diagnostics", "diag", "--state-dir", state, "--markdown", "--layers");
        Assert.True(perLayer.ExitCode == 0, perLayer.Stderr);
        Assert.Equal(1 + cells.Count * 4, perLayer.StdoutLines.Count(l => l.StartsWith("| ", StringComparison.Ordinal)));   // 3 layers and "all" a cell
        Assert.Equal(cells.Count, perLayer.StdoutLines.Count(l => l.StartsWith("|  |  |  |  | all | ", StringComparison.Ordinal)));
        Assert.Contains("per cell and linear layer", perLayer.Stderr);

        var refused = CliRunner.Run("diagnostics", "diag", "--state-dir", state, "--window", "0");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("gradguess: --window: expected at least 1 epoch, got 0", Assert.Single(refused.StderrLines));
        var missing = CliRunner.Run("diagnostics", "nope", "--state-dir", state);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("gradguess: no sweep named 'nope'", Assert.Single(missing.StderrLines));

        // A sweep without diagnostics: accuracies alone, and stderr says why.
        var plain = CliRunner.Run("local", LocalSpecs.Write(_dir, "plain", epochs: 1), "--state-dir", state, "--metrics-port", "0");
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        var accuracies = CliRunner.Run("diagnostics", "plain", "--state-dir", state, "--json");
        Assert.True(accuracies.ExitCode == 0, accuracies.Stderr);
        Assert.Contains("plain's spec samples no cosine and computes no effective rank", accuracies.Stderr);
        Assert.All(JsonNode.Parse(accuracies.Stdout)!["cells"]!.AsArray(), c =>
        {
            Assert.Null(c!["cosineLast"]);
            Assert.Null(c["rmsCosineLast"]);
            Assert.Null(c["stepCosineLast"]);
            Assert.Null(c["rankLast"]);
            Assert.NotNull(c["trainAccuracy"]);
        });
    }

    [Theory]
    [InlineData("gradguess-state 1 etag\n{\"Spec\": ", "could not be deserialized")]   // cut short
    [InlineData("{\"Spec\": {}}", "missing 'gradguess-state 1' header")]             // not a state file at all
    public void CorruptSweepState_EveryReaderSaysWhichFileInOneLine_AndLeavesIt(string content, string problem)
    {
        var (state, spec) = CompletedLocalRun("small", epochs: 1);
        var file = Path.Combine(state, "state", "gg-sweep", "small.sweep.state");
        Assert.True(File.Exists(file), "the coordinator's state is no longer where this test corrupts it");
        File.WriteAllText(file, content);

        foreach (var args in new[]
        {
            new[] { "status", "small", "--state-dir", state },
            ["results", "small", "--state-dir", state],
            ["local", spec, "--state-dir", state, "--metrics-port", "0"],
        })
        {
            var run = CliRunner.Run(args);
            Assert.True(run.ExitCode == 2, $"{args[0]}: exit {run.ExitCode}\n{run.Stderr}");
            var line = Assert.Single(run.StderrLines, l => l.StartsWith("gradguess: ", StringComparison.Ordinal));
            Assert.Contains(file, line);
            Assert.Contains(problem, line);
            Assert.Contains("move that file away and run the same spec again", line);
            Assert.DoesNotContain(" at ", line);                  // no stack trace (Orleans' storage wrapper has one)
            Assert.Equal(content, File.ReadAllText(file));        // nothing overwrote it
        }
    }

    [Fact]
    public void CorruptSweepState_MovedAwayAndTheSpecRunAgain_GivesTheSameCurves()
    {
        // The way out that the corrupt-state message offers, taken.
        var (state, spec) = CompletedLocalRun("rebuilt", epochs: 3);
        var before = CliRunner.Run("export", "rebuilt", "--state-dir", state, "--format", "json");
        var file = Path.Combine(state, "state", "gg-sweep", "rebuilt.sweep.state");
        File.Move(file, file + ".damaged");

        var again = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        Assert.True(again.ExitCode == 0, again.Stderr);
        var after = CliRunner.Run("export", "rebuilt", "--state-dir", state, "--format", "json");
        static IEnumerable<string> WithoutTimes(string json) => JsonNode.Parse(json)!.AsArray()
            .Select(r => { var o = r!.AsObject(); o.Remove("seconds"); return o.ToJsonString(); });
        Assert.Equal(WithoutTimes(before.Stdout), WithoutTimes(after.Stdout));
        // As the incarnation the registry kept, so its finished packs were not trained again.
        var logs = string.Concat(Directory.GetFiles(Path.Combine(state, "logs")).Select(File.ReadAllText));
        Assert.Contains("rebuilding it as incarnation", logs);
        Assert.DoesNotContain("forgetting the state of an earlier", logs);
    }

    [Fact]
    public void MetricsPortInUse_ExitsTwo_AndLeavesNoStateDirectoryBehind()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var state = Path.Combine(_dir, "fresh-state");
        var run = CliRunner.Run("local", LocalSpecs.Write(_dir, "port", epochs: 1), "--state-dir", state, "--metrics-port", port);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--metrics-port {port}: the port is in use", Assert.Single(run.StderrLines));
        Assert.False(Directory.Exists(state), "a state directory holding only its lock was left behind");
    }

    [Fact]
    public void CorruptCurveFile_ExportAndPlotWriteTheOtherCells_NameTheMissingOne_AndExitTwo_ReplacingNoEarlierFile()
    {
        // One damaged curve file used to fail export and plot for the whole sweep.
        var (state, _) = CompletedLocalRun("curvefile", epochs: 2);
        var whole = JsonNode.Parse(CliRunner.Run("export", "curvefile", "--state-dir", state, "--format", "json").Stdout)!.AsArray();
        var cells = whole.Select(r => (string)r!["cellId"]!).Distinct().Order().ToList();
        Assert.True(cells.Count >= 2, $"the spec has {cells.Count} cells; the test needs one to damage and others to keep");
        // Whole files written before the damage: an incomplete export or plot does not replace them.
        var json = Path.Combine(_dir, "curves.json");
        var png = Path.Combine(_dir, "curves.png");
        Assert.Equal(0, CliRunner.Run("export", "curvefile", "--state-dir", state, "--format", "json", "--out", json).ExitCode);
        Assert.Equal(0, CliRunner.Run("plot", "curvefile", "--state-dir", state, "--out", png).ExitCode);
        var (wholeJson, wholePng) = (File.ReadAllBytes(json), File.ReadAllBytes(png));
        var file = Path.Combine(state, "state", "gg-curve", "curvefile", cells[0], "0.curve.state");
        Assert.True(File.Exists(file), "the curve chunk is no longer where this test damages it");
        File.WriteAllText(file, "garbage");

        var export = CliRunner.Run("export", "curvefile", "--state-dir", state, "--format", "json");
        Assert.Equal(2, export.ExitCode);
        var rows = JsonNode.Parse(export.Stdout)!.AsArray();
        Assert.Equal(whole.Where(r => (string)r!["cellId"]! != cells[0]).Select(r => r!.ToJsonString()),
            rows.Select(r => r!.ToJsonString()));
        var line = Assert.Single(export.StderrLines, l => l.StartsWith("gradguess: ", StringComparison.Ordinal));
        Assert.Contains($"cell {cells[0]} left out", line);
        Assert.Contains(file, line);

        var toFile = CliRunner.Run("export", "curvefile", "--state-dir", state, "--format", "json", "--out", json);
        Assert.Equal(2, toFile.ExitCode);
        Assert.Equal(wholeJson, File.ReadAllBytes(json));
        var partialJson = Path.Combine(_dir, "curves.partial.json");
        Assert.Equal(rows.ToJsonString(), JsonNode.Parse(File.ReadAllText(partialJson))!.ToJsonString());
        Assert.Contains($"wrote {rows.Count} rows to {partialJson}", toFile.Stderr);
        Assert.Contains($"{json} is kept as it was: this export leaves cells out", toFile.Stderr);

        var plot = CliRunner.Run("plot", "curvefile", "--state-dir", state, "--out", png);
        Assert.Equal(2, plot.ExitCode);
        Assert.Equal(wholePng, File.ReadAllBytes(png));
        Assert.True(File.Exists(Path.Combine(_dir, "curves.partial.png")), plot.Stderr);
        Assert.Contains($"cell {cells[0]} left out", plot.Stderr);
        var fresh = Path.Combine(_dir, "fresh.png");                 // a new file: nothing to keep, written where named
        Assert.Equal(2, CliRunner.Run("plot", "curvefile", "--state-dir", state, "--out", fresh).ExitCode);
        Assert.True(File.Exists(fresh));
        Assert.False(File.Exists(Path.Combine(_dir, "fresh.partial.png")));
        Assert.Equal("garbage", File.ReadAllText(file));   // left for the user
    }

    [Fact]
    public void SpecWithoutSeeds_DefaultsToSeedZero_AndItsStateReadsBack()
    {
        // The default seed list once became a compiler-made collection type that the state serializer wrote but
        // refused to read: the first run finished, then every status, results or resume failed.
        var state = Path.Combine(_dir, "state");
        var spec = LocalSpecs.Write(_dir, "noseeds", epochs: 1);
        File.WriteAllLines(spec, File.ReadAllLines(spec).Where(l => !l.TrimStart().StartsWith("seeds:", StringComparison.Ordinal)));

        var first = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var status = CliRunner.Run("export", "noseeds", "--state-dir", state, "--format", "json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("\"seed\": 0", status.Stdout);
        var intoDirectory = CliRunner.Run("export", "noseeds", "--state-dir", state, "--format", "csv", "--out", _dir);
        Assert.Equal(2, intoDirectory.ExitCode);
        Assert.Contains("is a directory", Assert.Single(intoDirectory.StderrLines));
        var plot = CliRunner.Run("plot", "noseeds", "--state-dir", state, "--out", Path.Combine(_dir, "noseeds.png"));
        Assert.True(plot.ExitCode == 0, plot.Stderr);
        Assert.Equal("", plot.Stdout);                                 // stdout is for data; like export --out, it says so on stderr
        Assert.StartsWith("wrote ", Assert.Single(plot.StderrLines));
        var loss = CliRunner.Run("plot", "noseeds", "--state-dir", state, "--out", Path.Combine(_dir, "loss.png"), "--metric", "loss");
        Assert.True(loss.ExitCode == 0, loss.Stderr);
        Assert.True(SkiaSharp.SKBitmap.DecodeBounds(Path.Combine(_dir, "loss.png")).Width == 1600);
        var badMetric = CliRunner.Run("plot", "noseeds", "--state-dir", state, "--out", Path.Combine(_dir, "x.png"), "--metric", "accuracy");
        Assert.Equal(2, badMetric.ExitCode);
        Assert.Equal("gradguess: --metric: expected train, test, both, cosine, loss, rank, step-cosine or gradient-share, got 'accuracy'", Assert.Single(badMetric.StderrLines));
        var noRank = CliRunner.Run("plot", "noseeds", "--state-dir", state, "--out", Path.Combine(_dir, "rank.png"), "--metric", "rank");
        Assert.Equal(2, noRank.ExitCode);
        Assert.StartsWith("gradguess: sweep noseeds has no effective rank of weight matrix 0 at an evaluated epoch for every seed (the spec's diagnostics: { effectiveRank: true }",
            Assert.Single(noRank.StderrLines));
        var layerAlone = CliRunner.Run("plot", "noseeds", "--state-dir", state, "--out", Path.Combine(_dir, "x.png"), "--layer", "1");
        Assert.Equal((2, "gradguess: --layer: only with --metric rank, gradient-share, cosine or step-cosine"), (layerAlone.ExitCode, Assert.Single(layerAlone.StderrLines)));
        var noShare = CliRunner.Run("plot", "noseeds", "--state-dir", state, "--out", Path.Combine(_dir, "share.png"), "--metric", "gradient-share", "--layer", "2");
        Assert.Equal(2, noShare.ExitCode);
        Assert.StartsWith("gradguess: sweep noseeds has no gradient share of layer 2 at an epoch for every seed (the spec's diagnostics: { cosineEvery: N }",
            Assert.Single(noShare.StderrLines));
        var noLayerCosine = CliRunner.Run("plot", "noseeds", "--state-dir", state, "--out", Path.Combine(_dir, "c.png"), "--metric", "cosine", "--layer", "1");
        Assert.Equal(2, noLayerCosine.ExitCode);
        Assert.StartsWith("gradguess: sweep noseeds has no cosine similarity in layer 1 at an evaluated epoch for every seed", Assert.Single(noLayerCosine.StderrLines));
        var again = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        Assert.True(again.ExitCode == 0, again.Stderr);
    }

    [Fact]
    public async Task CorruptSlotLedger_IsShownAsTheReasonNothingStarts_AndLeftAsItWas()
    {
        // The ledger of training slots is read when the silo first asks for capacity; unreadable, no cell can start.
        // Admission retries on every watchdog tick (a store may come back), so the run waits, but it must say why.
        var state = Path.Combine(_dir, "state");
        var first = CliRunner.Run("local", LocalSpecs.Write(_dir, "first", epochs: 1), "--state-dir", state, "--metrics-port", "0");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var slots = Path.Combine(state, "state", "gg-slots", "0.slots.state");
        Assert.True(File.Exists(slots), "the slot ledger's state is no longer where this test corrupts it");
        File.WriteAllText(slots, "garbage");

        using var run = new LocalProcess("local", LocalSpecs.Write(_dir, "second", epochs: 1), "--state-dir", state, "--metrics-port", "0");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!run.Stdout.Contains("problem   cells cannot be started: state file " + slots + " is corrupt", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no problem line naming {slots}:\n{run.Stdout}\n{run.Stderr}");
            await Task.Delay(200);
        }
        Assert.DoesNotContain("  started   ", run.Stdout);
        Assert.DoesNotContain("  running   ", run.Stdout);
        Assert.Equal("garbage", File.ReadAllText(slots));
    }

    [Fact]
    public void StatusList_ShowsEachSweepsProgress_AndStillListsASweepWhoseLedgerIsUnreadable()
    {
        var (state, _) = CompletedLocalRun("good", epochs: 2);
        var other = CliRunner.Run("local", LocalSpecs.Write(_dir, "bad", epochs: 1), "--state-dir", state, "--metrics-port", "0");
        Assert.True(other.ExitCode == 0, other.Stderr);
        var ledger = Path.Combine(state, "state", "gg-sweep", "bad.sweep.state");
        Assert.True(File.Exists(ledger), "the sweep ledger is no longer where this test corrupts it");
        File.WriteAllText(ledger, "garbage");

        var list = CliRunner.Run("status", "--state-dir", state);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Matches(@"\bgood\s+completed\s+8/8 \(100%\)", list.Stdout);   // 4 cells × 2 epochs
        Assert.Matches(@"\bbad\s+completed\s+\d{4}-", list.Stdout);            // the registry's entry, no progress
        Assert.Contains($"sweep bad: no progress to show: state file {ledger} is corrupt", list.Stderr);
        Assert.Equal("garbage", File.ReadAllText(ledger));
    }

    /// <summary>A small sweep run to completion by <c>local</c> in a fresh state directory: (that directory, the spec file).</summary>
    private (string State, string Spec) CompletedLocalRun(string name, int epochs)
    {
        var state = Path.Combine(_dir, "state");
        var spec = LocalSpecs.Write(_dir, name, epochs: epochs);
        LocalSpecs.Run(spec, state);
        return (state, spec);
    }
}
