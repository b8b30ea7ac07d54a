using System.Text.Json.Nodes;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Planning;

/// <summary><c>gradguess plan</c> as a user runs it: the real client process.</summary>
public sealed class PlanCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-plan-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> BadSpecs()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "bad-specs"), "*.yaml").Order())
            if (Path.GetFileName(f) != "missing-data.yaml") data.Add(Path.GetFileName(f));   // a warning here (below)
        return data;
    }

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Plan_BadSpec_ExitsTwoWithOneLine(string file)
    {
        var r = CliRunner.Run("plan", Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "bad-specs", file));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("gradguess: invalid sweep spec", Assert.Single(r.StderrLines));
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Plan_DataMissingHere_ExitsZeroWithTheWarningOnStderr()
    {
        var r = CliRunner.Run("plan", Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "bad-specs", "missing-data.yaml"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("fashion-mnist in /nonexistent/gradguess-data (not readable here): 60,000 training", r.Stdout);
        Assert.StartsWith("warning: the data cannot be read here (data directory /nonexistent/gradguess-data", r.StderrLines[0]);
        Assert.Equal("warning: one learning rate: the selection has nothing to choose between", r.StderrLines[1]);
        Assert.Equal(2, r.StderrLines.Length);

        var json = CliRunner.Run("plan", Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "bad-specs", "missing-data.yaml"), "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        Assert.Equal(2, JsonNode.Parse(json.Stdout)!["warnings"]!.AsArray().Count);   // in the object, and on stderr as well
        Assert.Equal(r.StderrLines, json.StderrLines);
    }

    [Fact]
    public void Plan_OfALongRunEvaluatingEveryEpoch_SaysWhatEvaluatingLessOftenWouldSave()
    {
        var spec = LocalSpecs.Write(_dir, "evaluated", epochs: 10);
        var r = CliRunner.Run("plan", spec);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var cost = JsonNode.Parse(CliRunner.Run("plan", spec, "--json").Stdout)!["cost"]!;
        double share = (double)cost["evaluationFlops"]! / (double)cost["flops"]!;
        Assert.True(share > 0.2, $"evaluation is {share:P0} of the work");
        Assert.Contains($"(evaluateEvery: 5 would take about {Math.Round(80 * share):0}% off the work)", r.Stdout);
        // Evaluated every 5 epochs, it says nothing more.
        var every5 = CliRunner.Run("plan", LocalSpecs.Write(_dir, "every5", epochs: 10, extra: "evaluateEvery: 5"));
        Assert.DoesNotContain("evaluateEvery: 5 would", every5.Stdout);
    }

    [Fact]
    public void Plan_StudyExample_SaysWhatItWouldRun()
    {
        var r = CliRunner.Run("plan", Path.Combine(LocalSpecs.RepoRoot, "examples", "fmnist-study.yaml"), "--gflops", "65");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        Assert.Equal("sweep fmnist-study", r.StdoutLines[0]);
        Assert.Contains("6 methods × 3 optimizers × 4 learning rates × 1 seed = 72 cells in 18 packs of 4 (packing: lr)", r.Stdout);
        Assert.Contains("5 epochs × 118 steps of batch 512 = 590 steps per cell, 360 cell-epochs in all", r.Stdout);
        Assert.Contains("on 1 slot, at 65 GFLOP/s per slot (matmuls only)", r.Stdout);
        // Every epoch evaluates each of the 72 cells on 70,000 examples, a forward pass of 2 × (784·128 + 2·128·128 + 128·10)
        // FLOPs each: that part of the work, and its share.
        var cost = JsonNode.Parse(CliRunner.Run("plan", Path.Combine(LocalSpecs.RepoRoot, "examples", "fmnist-study.yaml"), "--json").Stdout)!["cost"]!;
        double evaluation = 2.0 * (784 * 128 + 2 * 128 * 128 + 128 * 10) * 70_000 * 72 * 5;
        Assert.Equal(evaluation, (double)cost["evaluationFlops"]!, 6);
        Assert.Contains($"; the evaluations {Math.Round(100 * evaluation / (double)cost["flops"]!):0}% of them\n", r.Stdout);
        // 134,794 weights and biases a cell, 4 cells a pack, Adam-type: weights, gradient, two moments and (cosineEvery: 50)
        // the true gradient, 5 × 134,794 × 4 × 4 bytes. It checkpoints every epoch, so no epoch keeps a copy to roll back to.
        Assert.Contains("  memory       at least 10.3 MiB per training pack (weights, gradient, the true gradient for the cosine similarity and optimizer state), beside", r.Stdout);
        // The study on CIFAR-10 checkpoints every 10 epochs: epochs between checkpoints keep a copy of weights and
        // moments too, 8 × (3072·128 + 2·128·128 + 128·10 + 3·128 + 10) × 4 × 4 bytes.
        var cifar = CliRunner.Run("plan", Path.Combine(LocalSpecs.RepoRoot, "examples", "cifar10-study.yaml"), "--gflops", "65");
        Assert.True(cifar.ExitCode == 0, cifar.Stderr);
        Assert.Contains("  memory       at least 52.2 MiB per training pack (weights, gradient, the true gradient for the cosine similarity, optimizer state and their copy for a stop", cifar.Stdout);
    }

    [Fact]
    public void Plan_DecimalOption_ReadsTheSameInAGermanLocale()
    {
        // Under de_DE the current culture's decimal separator is ',': 65.5 read as 655 before the CLI went invariant.
        var german = new Dictionary<string, string?> { ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8" };
        var spec = LocalSpecs.Write(_dir, "locale", epochs: 1);
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, german, "plan", spec, "--gflops", "65.5");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("at 65.5 GFLOP/s per slot", r.Stdout);
    }

    [Fact]
    public void Plan_Json_IsOneObjectWithTheFigures()
    {
        var spec = LocalSpecs.Write(_dir, "planjson", epochs: 3, checkpointEvery: 2);
        var r = CliRunner.Run("plan", spec, "--json", "--gflops", "10", "--slots", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var plan = JsonNode.Parse(r.Stdout)!;
        Assert.Equal("planjson", (string)plan["name"]!);
        Assert.Equal(4, (int)plan["grid"]!["cells"]!);
        Assert.Equal(4, (int)plan["grid"]!["packs"]!);               // packing none: one cell each
        Assert.Equal(16, (int)plan["schedule"]!["stepsPerEpoch"]!);  // 1024 / 64
        Assert.Equal(2, (int)plan["schedule"]!["checkpointsPerPack"]!);
        Assert.True((double)plan["cost"]!["seconds"]! > 0);
        Assert.True((long)plan["cost"]!["curveBytesPerCell"]! > 0);
        Assert.Equal(4 * (long)plan["cost"]!["curveBytesPerCell"]!, (long)plan["cost"]!["curveBytes"]!);
        Assert.Empty(plan["warnings"]!.AsArray());
    }

    [Theory]
    [InlineData("--gflops", "0", "--gflops must be a number > 0")]
    [InlineData("--gflops", "NaN", "--gflops must be a number > 0")]
    [InlineData("--slots", "0", "--slots must be >= 1")]
    [InlineData("--threads", "2", "--threads applies to --measure only")]
    [InlineData("--slots", "2", "--slots applies to a time estimate")]
    [InlineData("--device", "cpu", "--device applies to --measure only")]
    public void Plan_BadOption_ExitsTwo(string option, string value, string message)
    {
        var r = CliRunner.Run("plan", LocalSpecs.Write(_dir, "opts", epochs: 1), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, Assert.Single(r.StderrLines));
    }

    [Fact]
    public void Plan_MeasureOnAGpuThisMachineLacks_IsRefusedBeforeMeasuring()
    {
        var r = CliRunner.Run("plan", LocalSpecs.Write(_dir, "gpu", epochs: 1), "--measure", "--device", "cuda:0");
        Assert.Equal(2, r.ExitCode);
        Assert.Matches(@"^gradguess: --device cuda:0: this machine has \d+ CUDA devices?$", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void Plan_GflopsAndMeasure_AreRefusedTogether()
    {
        var r = CliRunner.Run("plan", LocalSpecs.Write(_dir, "both", epochs: 1), "--gflops", "10", "--measure");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: --gflops and --measure: choose one", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void Plan_Measure_EstimatesTheTimeFromTimedSteps()
    {
        var r = CliRunner.Run("plan", LocalSpecs.Write(_dir, "timed", epochs: 2), "--measure", "--slots", "2", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var cost = JsonNode.Parse(r.Stdout)!["cost"]!;
        Assert.True((double)cost["seconds"]! > 0);
        Assert.Equal(2, (int)cost["slots"]!);
        Assert.StartsWith("measured here: 16 steps", (string?)cost["basis"]);
        var measured = cost["measured"]!.AsArray();                      // backprop and wt, with adamw, one cell a pack
        Assert.Equal(["backprop", "wt"], measured.Select(m => (string)m!["method"]!));
        Assert.All(measured, m => Assert.Equal(16 * (double)m!["secondsPerStep"]!, (double)m["secondsPerEpoch"]!, 9));
        Assert.Contains("measured every pack configuration", r.Stderr);
        Assert.Contains("measuring backprop with adamw, 1 cell a pack...", r.StderrLines);        // piped: a line per configuration
        Assert.Contains("measuring wt with adamw, 1 cell a pack...", r.StderrLines);
    }

    [Fact]
    public void Plan_Measure_StopsOnCtrlC()
    {
        // The CIFAR-10 study measures 18 configurations of 3,072 inputs, over a minute on this 2-core VM: far longer
        // than the wait for its exit. Piped, each configuration's progress is a line.
        using var plan = new LocalProcess("plan", Path.Combine(LocalSpecs.RepoRoot, "examples", "cifar10-study.yaml"), "--measure");
        for (var until = DateTime.UtcNow.AddSeconds(60); !plan.Stderr.Contains("measuring backprop with adamw", StringComparison.Ordinal); Thread.Sleep(100))
            Assert.True(DateTime.UtcNow < until, "no progress line: " + plan.Stderr);
        plan.Signal("INT");
        Assert.Equal(1, plan.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Contains("gradguess: cancelled", plan.Stderr);
        Assert.DoesNotContain("sweep cifar10-study", plan.Stdout);
    }

    [Fact]
    public void Plan_CheckpointsOnDisk_AreWhatALocalRunLeaves()
    {
        var spec = LocalSpecs.Write(_dir, "plandisk", epochs: 2, checkpointEvery: 1, width: 64);
        var plan = CliRunner.Run("plan", spec, "--json");
        var state = Path.Combine(_dir, "state");
        var run = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var files = Directory.GetFiles(Path.Combine(state, "checkpoints"), "*.ckpt", SearchOption.AllDirectories);
        var cost = JsonNode.Parse(plan.Stdout)!["cost"]!;
        Assert.Equal((int)JsonNode.Parse(plan.Stdout)!["grid"]!["packs"]!, files.Length);
        long planned = (long)cost["checkpointBytes"]!, actual = files.Sum(f => new FileInfo(f).Length);
        Assert.True(Math.Abs(planned - actual) <= 0.02 * actual, $"planned {planned} bytes, the run left {actual}");
    }

    [Fact]
    public void Plan_Extend_ReadsTheStoredSweep_AndPlansTheCellsTheSpecAdds_OrSaysWhyNot()
    {
        var state = Path.Combine(_dir, "state");
        var run = CliRunner.Run("local", LocalSpecs.Write(_dir, "grows", epochs: 2), "--state-dir", state, "--metrics-port", "0");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var stored = LocalSpecs.Write(_dir, "grows", epochs: 2);
        var grown = LocalSpecs.Write(Directory.CreateDirectory(Path.Combine(_dir, "grown")).FullName, "grows", epochs: 2,
            learningRates: "1.0e-2, 1.0e-3, 1.0e-1");
        var changed = LocalSpecs.Write(Directory.CreateDirectory(Path.Combine(_dir, "changed")).FullName, "grows", epochs: 1,
            learningRates: "1.0e-2, 1.0e-3, 1.0e-1");
        var other = LocalSpecs.Write(_dir, "never-run", epochs: 2);

        var plan = CliRunner.Run("plan", grown, "--extend", "--state-dir", state);
        var json = CliRunner.Run("plan", grown, "--extend", "--state-dir", state, "--json");
        var same = CliRunner.Run("plan", stored, "--extend", "--state-dir", state);
        var notAnExtension = CliRunner.Run("plan", changed, "--extend", "--state-dir", state);
        var missing = CliRunner.Run("plan", other, "--extend", "--state-dir", state);
        var withoutExtend = CliRunner.Run("plan", grown, "--state-dir", state);

        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains("  extension    2 cells in 2 packs added to the stored 4 cells in 4 packs; the lines below are the added cells'", plan.StdoutLines);
        Assert.Contains(plan.StdoutLines, l => l.StartsWith("  training", StringComparison.Ordinal) && l.EndsWith(", 4 cell-epochs in all", StringComparison.Ordinal));
        var extends = JsonNode.Parse(json.Stdout)!["grid"]!["extends"]!;
        Assert.Equal((2, 2, 4, 4), ((int)extends["addedCells"]!, (int)extends["addedPacks"]!, (int)extends["storedCells"]!, (int)extends["storedPacks"]!));
        Assert.Equal(2 * 2, (int)JsonNode.Parse(json.Stdout)!["schedule"]!["cellEpochs"]!);
        Assert.Equal(2, same.ExitCode);
        Assert.Equal("gradguess: --extend: this spec is the one sweep 'grows' has: it adds no cells and raises no epochs", Assert.Single(same.StderrLines));
        Assert.Equal(2, notAnExtension.ExitCode);
        Assert.Contains("sweep 'grows' cannot be extended by this spec", notAnExtension.Stderr);
        Assert.Contains("epochs: ", notAnExtension.Stderr);
        Assert.Contains("an extension may raise epochs, not lower them", notAnExtension.Stderr);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("gradguess: --extend: there is no sweep named 'never-run' to extend; plan it without --extend", Assert.Single(missing.StderrLines));
        Assert.Equal(2, withoutExtend.ExitCode);
        Assert.Equal("gradguess: --state-dir applies to --extend only: a plan reads no sweep", Assert.Single(withoutExtend.StderrLines));
    }

    [Fact]
    public void Plan_Extend_ThatRaisesEpochs_PlansTheStoredCellsExtraEpochs()
    {
        // 4 cells, one a pack (packing none), trained 2 epochs; raised to 5, they train 3 more each.
        var state = Path.Combine(_dir, "state");
        var run = CliRunner.Run("local", LocalSpecs.Write(_dir, "longer", epochs: 2), "--state-dir", state, "--metrics-port", "0");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var raised = LocalSpecs.Write(Directory.CreateDirectory(Path.Combine(_dir, "raised")).FullName, "longer", epochs: 5);
        // The same grid run for 3 epochs: what the stored cells' extra epochs cost.
        var three = LocalSpecs.Write(Directory.CreateDirectory(Path.Combine(_dir, "three")).FullName, "longer", epochs: 3);

        var plan = CliRunner.Run("plan", raised, "--extend", "--state-dir", state);
        var json = CliRunner.Run("plan", raised, "--extend", "--state-dir", state, "--json");
        var fresh = CliRunner.Run("plan", three, "--json");

        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.True(json.ExitCode == 0, json.Stderr);
        Assert.True(fresh.ExitCode == 0, fresh.Stderr);
        Assert.Contains("  extension    epochs 2 → 5: the stored completed 4 cells in 4 packs train 3 more epochs each; " +
                        "the per-cell lines below are the spec's, the totals what the extension trains", plan.StdoutLines);
        Assert.Contains("  training     5 epochs × 16 steps of batch 64 = 80 steps per cell, 12 cell-epochs in all", plan.StdoutLines);
        var (planned, alone) = (JsonNode.Parse(json.Stdout)!, JsonNode.Parse(fresh.Stdout)!);
        var extends = planned["grid"]!["extends"]!;
        Assert.Equal((2, 4, 4, 0), ((int)extends["epochsBefore"]!, (int)extends["lengthenedCells"]!, (int)extends["lengthenedPacks"]!, (int)extends["addedCells"]!));
        Assert.Equal(4 * 3, (int)planned["schedule"]!["cellEpochs"]!);
        Assert.Equal((double)alone["cost"]!["flops"]!, (double)planned["cost"]!["flops"]!, (double)alone["cost"]!["flops"]! * 1e-12);
    }

    [Fact]
    public void Plan_Extend_OfASweepExtendedBefore_CountsItsPacksAsTheyGrew()
    {
        // packing: lr, 2 methods: g1 [a, b] → g2 [a, b, c] (stored, 2 packs of 2 and 2 of 1), planning g3 [a, b, c, d].
        var state = Path.Combine(_dir, "state");
        string Spec(string generation, string learningRates)
        {
            var path = LocalSpecs.Write(Directory.CreateDirectory(Path.Combine(_dir, generation)).FullName, "regrown", epochs: 1,
                learningRates: learningRates);
            File.AppendAllText(path, "\npacking: lr\n");
            return path;
        }
        var (g1, g2, g3) = (Spec("g1", "1.0e-2, 1.0e-3"), Spec("g2", "1.0e-2, 1.0e-3, 1.0e-4"), Spec("g3", "1.0e-2, 1.0e-3, 1.0e-4, 1.0e-1"));
        foreach (var args in new[] { new[] { "local", g1 }, new[] { "local", g2, "--extend" } })
        {
            var run = CliRunner.Run(args.Concat(new[] { "--state-dir", state, "--metrics-port", "0" }).ToArray());
            Assert.True(run.ExitCode == 0, run.Stderr);
        }

        var plan = CliRunner.Run("plan", g3, "--extend", "--state-dir", state, "--json");

        Assert.True(plan.ExitCode == 0, plan.Stderr);
        var grid = JsonNode.Parse(plan.Stdout)!["grid"]!;
        var extends = grid["extends"]!;
        Assert.Equal((2, 2, 6, 4), ((int)extends["addedCells"]!, (int)extends["addedPacks"]!, (int)extends["storedCells"]!, (int)extends["storedPacks"]!));
        Assert.Equal(6, (int)grid["packs"]!);
    }

    [Fact]
    public async Task Plan_Extend_OfAWideModel_JudgesThePackCapByThePacksTheSweepForms()
    {
        // A pack of the wide model holds three learning rates and not four. The stored [a, b, c] + [d] packs {d} apart; a
        // method added packs all four.
        var (g1, g2, g3) = (LocalSpecs.Wide(_dir, "g1", "backprop", "0.1, 0.01, 0.001"), LocalSpecs.Wide(_dir, "g2", "backprop", "0.1, 0.01, 0.001, 0.0001"),
            LocalSpecs.Wide(_dir, "g3", "backprop, wt", "0.1, 0.01, 0.001, 0.0001"));
        var state = Path.Combine(_dir, "state");
        // Stored by a host with no slot: the 2-billion-parameter pack only queues.
        await using (var host = await LocalSweepHost.StartAsync(new LocalHostOptions(state, MetricsPort: null, CpuSlots: 0, Gpus: 0), CancellationToken.None))
            await host.Grains.GetGrain<ISweepCoordinatorGrain>("wide").SubmitAsync(SweepSpecParser.ParseFile(g1));

        var plan = CliRunner.Run("plan", g2, "--extend", "--state-dir", state, "--json");
        var newMethod = CliRunner.Run("plan", g3, "--extend", "--state-dir", state);
        var first = CliRunner.Run("plan", g2);

        Assert.True(plan.ExitCode == 0, plan.Stderr);
        var extends = JsonNode.Parse(plan.Stdout)!["grid"]!["extends"]!;
        Assert.Equal((1, 1, 3, 1), ((int)extends["addedCells"]!, (int)extends["addedPacks"]!, (int)extends["storedCells"]!, (int)extends["storedPacks"]!));
        Assert.Equal(2, newMethod.ExitCode);
        Assert.Contains(", 4 learning rates packed together,", Assert.Single(newMethod.StderrLines), StringComparison.Ordinal);
        Assert.Contains("an extension keeps the model and packing", newMethod.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, first.ExitCode);
        Assert.EndsWith("; make the model smaller or use packing: none", Assert.Single(first.StderrLines), StringComparison.Ordinal);
    }
}
