using System.Text.Json.Nodes;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Refinement;

/// <summary><c>confirm</c> on sweeps a real <c>local</c> ran: the spec it writes is a new sweep that trains each row's top
/// rates on the given seeds and nothing else, and what it refuses leaves nothing written.</summary>
public sealed class ConfirmCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-confirm-" + Guid.NewGuid().ToString("N")[..8]);

    public ConfirmCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheSpec_TrainsEachRowsPickAndRunnerUp_OnTheGivenSeeds_AndNothingElse()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(LocalSpecs.Write(_dir, "pick", epochs: 1, learningRates: "1.0e-1, 1.0e-2, 1.0e-3"), state);
        var file = Path.Combine(_dir, "confirm.yaml");

        var run = CliRunner.Run("confirm", "pick", "--state-dir", state, "--seeds", "1,2", "--out", file, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!;
        // What results names each row's pick and runner-up.
        var results = JsonNode.Parse(CliRunner.Run("results", "pick", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        var top = results.ToDictionary(r => (string)r!["method"]!, r => new[] { (double)r!["bestLearningRate"]!, (double)r["runnerUpLearningRate"]! });
        Assert.Equal(top.Keys.Order(), json["rows"]!.AsArray().Select(r => (string)r!["method"]!).Order());
        foreach (var row in json["rows"]!.AsArray())
            Assert.Equal(top[(string)row!["method"]!], row["rates"]!.AsArray().Select(r => (double)r!["learningRate"]!));
        Assert.Equal([1, 2], json["seeds"]!.AsArray().Select(s => (int)s!));
        Assert.Equal("pick-confirm", (string?)json["name"]);
        Assert.Equal(8, (int)json["cells"]!);   // 2 rows × 2 rates × 2 seeds
        Assert.Equal(file, (string?)json["out"]);
        Assert.Contains("confirm: 8 cells (2 rows × 2 rates × 2 seeds)", run.Stderr);
        Assert.Contains($"wt × adamw:       {Lr(top["wt"][0])} (pick, ", run.Stderr);
        Assert.Contains($"next: ./gradguess local {file} --state-dir {state}", run.Stderr);
        Assert.Contains($"cost: ./gradguess plan {file} --measure", run.Stderr);
        Assert.Contains($"then: ./gradguess compare pick pick-confirm --rates --state-dir {state}", run.Stderr);

        // The file: the stored spec with the new name and seeds, the rates both rows train in learningRates (in the
        // grid's descending order), the others in each row's rowRates.
        var before = SweepSpecParser.Parse(CliRunner.Run("status", "pick", "--state-dir", state, "--spec").Stdout);
        var after = SweepSpecParser.ParseFile(file);
        var shared = top["wt"].Intersect(top["backprop"]).OrderDescending().ToList();
        Assert.Equal(shared, after.LearningRates);
        foreach (var (method, rates) in top) Assert.Equal(rates.OrderDescending(), after.RatesFor(method, "adamw").OrderDescending());
        Assert.Equal(SweepSpecWriter.Write(before with { Name = "pick-confirm", Seeds = [1, 2], LearningRates = after.LearningRates, RowRates = after.RowRates }),
            File.ReadAllText(file));
        var plan = CliRunner.Run("plan", file);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains("× 2 seeds = 8 cells", plan.Stdout);

        // Run beside the sweep, it trains those rates on those seeds only, and compare reads the two.
        LocalSpecs.Run(file, state);
        var confirmed = JsonNode.Parse(CliRunner.Run("results", "pick-confirm", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        foreach (var row in confirmed)
        {
            Assert.Equal(top[(string)row!["method"]!].Order(), row["rates"]!.AsArray().Select(r => (double)r!["learningRate"]!).Order());
            Assert.Equal(4, (int)row["cellsTotal"]!);
            Assert.Equal(4, (int)row["cellsFinished"]!);
        }
        var compare = CliRunner.Run("compare", "pick", "pick-confirm", "--rates", "--state-dir", state);
        Assert.True(compare.ExitCode == 0, compare.Stderr);
        Assert.Contains(", seeds 0 → 1,2", compare.Stdout);
        // Seeds apart and nothing else differing but rates: each rate both scored has one mean over all three seeds.
        var pair = JsonNode.Parse(CliRunner.Run("compare", "pick", "pick-confirm", "--state-dir", state, "--json").Stdout)!;
        Assert.Equal((1, 2), ((int)pair["pool"]!["a"]!, (int)pair["pool"]!["b"]!));
        Assert.Contains("pooled: the mean over A's 1 seed and B's 2 where both scored", compare.Stdout);
        Assert.Contains("the sample standard deviation of all those seeds' scores", compare.Stdout);
        foreach (var (row, r) in pair["rows"]!.AsArray().Select((row, r) => (row!, r)))
        {
            JsonNode Rate(JsonNode rates, double lr) => rates.AsArray().Single(x => (double)x!["learningRate"]! == lr)!;
            // The three seeds' scores: A's one, and B's two, which lie ± s/√2 about their mean s being their spread.
            double[] Seeds(double lr)
            {
                double y = (double)Rate(row["b"]!["rates"]!, lr)["score"]!, s = (double)Rate(row["b"]!["rates"]!, lr)["scoreStd"]!;
                return [(double)Rate(row["a"]!["rates"]!, lr)["score"]!, y - s / Math.Sqrt(2), y + s / Math.Sqrt(2)];
            }
            var pooled = top[(string)row["method"]!].Select(lr => (Lr: lr, Mean: Seeds(lr).Average(), Std: SampleStd(Seeds(lr)))).ToList();
            var best = pooled.MaxBy(p => p.Mean);
            var pooledRow = pair["pool"]!["rows"]![r]!;
            Assert.Equal((string?)row["method"], (string?)pooledRow["method"]);
            Assert.Equal(best.Lr, (double)pooledRow["bestLearningRate"]!);
            foreach (var (lr, mean, std) in pooled)
            {
                Assert.Equal(mean, (double)Rate(pooledRow["rates"]!, lr)["score"]!, 12);
                Assert.Equal(std, (double)Rate(pooledRow["rates"]!, lr)["scoreStd"]!, 12);
                Assert.Contains(compare.StdoutLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is var w && w.Contains(Lr(lr))
                    && w[^2] == (lr == best.Lr ? $"[{ResultsTable.Percent(mean)}]" : ResultsTable.Percent(mean)) && w[^1] == "±" + ResultsTable.InPoints(std));
            }
        }
    }

    private static double SampleStd(double[] xs) => Math.Sqrt(xs.Sum(x => (x - xs.Average()) * (x - xs.Average())) / (xs.Length - 1));

    [Fact]
    public void ARowWithoutAPick_IsRefused_AndLeftOutWithOptimizer_RowsSharingNoRateEachHaveTheirOwn()
    {
        var state = Path.Combine(_dir, "state");
        var path = Path.Combine(_dir, "own.yaml");
        // sgd at 1e3 diverges (as refine's tests rely on); adamw and stable-adamw share no rate.
        File.WriteAllText(path, """
            name: own
            data: { set: synthetic, train: 512, test: 128, features: 32 }
            model: { depth: 2, width: 32 }
            methods: [backprop]
            optimizers: [sgd, adamw, stable-adamw]
            learningRates: []
            rowRates:
              - { method: backprop, optimizer: sgd, learningRates: [1.0e+3] }
              - { method: backprop, optimizer: adamw, learningRates: [1.0e-2, 3.0e-3] }
              - { method: backprop, optimizer: stable-adamw, learningRates: [1.0e-3] }
            seeds: [0]
            epochs: 1
            batchSize: 64
            """);
        LocalSpecs.Run(path, state);
        var file = Path.Combine(_dir, "own-confirm.yaml");

        var refused = CliRunner.Run("confirm", "own", "--state-dir", state, "--seeds", "1", "--out", file);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("nothing to confirm in backprop × sgd (its only learning rate, 1e+3, diverged): leave it out with --method/--optimizer", refused.Stderr);
        Assert.False(File.Exists(file));

        var run = CliRunner.Run("confirm", "own", "--state-dir", state, "--seeds", "1,2", "--optimizer", "adamw", "--optimizer", "stable-adamw",
            "--name", "own-again", "--out", file);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("left out by --method/--optimizer: 1 of 3 rows", run.Stderr);
        Assert.Contains("backprop × stable-adamw: 1e-3 (pick, ", run.Stderr);
        Assert.Contains("; only 1 scored rate", run.Stderr);
        Assert.Contains("confirm: 6 cells (3 rates in 2 rows × 2 seeds)", run.Stderr);
        Assert.Contains("1 row confirms its pick alone: a pick that diverges on a new seed leaves its row with no result " +
                        "(a seed's divergence rules its rate out)\n", run.Stderr);   // --top 2 asked: nothing to advise
        Assert.Contains("the rows share no learning rate: each row's are in its rowRates", run.Stderr);
        var spec = SweepSpecParser.ParseFile(file);
        Assert.Equal("own-again", spec.Name);
        Assert.Equal(["adamw", "stable-adamw"], spec.Optimizers);
        Assert.Empty(spec.LearningRates);
        Assert.Equal([1e-2, 3e-3], spec.RatesFor("backprop", "adamw"));   // largest first: the sweep lists no grid to follow
        Assert.Equal([1e-3], spec.RatesFor("backprop", "stable-adamw"));

        // An empty grid trains: each row its own rates, on each seed.
        LocalSpecs.Run(file, state);
        var status = JsonNode.Parse(CliRunner.Run("results", "own-again", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        Assert.Equal([4, 2], status.Select(r => (int)r!["cellsFinished"]!));
        // Compared as the summary says: the rows it confirms, not the one it left out.
        Assert.Contains($"then: ./gradguess compare own own-again --rates --optimizer adamw --optimizer stable-adamw --state-dir {state}", run.Stderr);
        var compared = CliRunner.Run("compare", "own", "own-again", "--rates", "--optimizer", "adamw", "--optimizer", "stable-adamw", "--state-dir", state, "--json");
        Assert.True(compared.ExitCode == 0, compared.Stderr);
        Assert.Equal(["adamw", "stable-adamw"], JsonNode.Parse(compared.Stdout)!["rows"]!.AsArray().Select(r => (string)r!["optimizer"]!));
        var unknown = CliRunner.Run("compare", "own", "own-again", "--optimizer", "adam", "--state-dir", state);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--optimizer: 'adam' is not an optimizer of sweeps 'own' and 'own-again' (sgd, adamw, stable-adamw); did you mean 'adamw'?", unknown.Stderr);

        // Without --out the spec is on stdout; a seed the sweep trained is refused.
        var printed = CliRunner.Run("confirm", "own", "--state-dir", state, "--seeds", "3", "--optimizer", "adamw", "--top", "1");
        Assert.True(printed.ExitCode == 0, printed.Stderr);
        Assert.Contains("every row confirms its pick alone: a pick that diverges on a new seed leaves its row with no result " +
                        "(a seed's divergence rules its rate out); --top 2 keeps the runner-up beside it", printed.Stderr);
        var one = SweepSpecParser.Parse(printed.Stdout);
        Assert.Equal("own-confirm", one.Name);
        Assert.Equal([3], one.Seeds);
        Assert.Single(one.LearningRates);   // one row: its rates are the grid
        Assert.Null(one.RowRates);
        var own = CliRunner.Run("confirm", "own", "--state-dir", state, "--seeds", "2,0", "--optimizer", "adamw", "--out", file + ".2");
        Assert.Equal(2, own.ExitCode);
        Assert.Contains("seed 0 is the sweep's own: it trains the same curves again (training is deterministic per seed)", own.Stderr);
        Assert.False(File.Exists(file + ".2"));
    }

    [Theory]
    [InlineData("--top", "0", "--top must be a whole number from 1")]
    [InlineData("--top", "abc", "--top")]
    [InlineData("--seeds", "-1", "--seeds: expected whole numbers from 0, comma-separated, got '-1'")]
    [InlineData("--seeds", "1,1", "--seeds: 1 is given twice")]
    [InlineData("--seeds", "", "--seeds: expected whole numbers from 0")]
    [InlineData("--name", "Bad_Name", "--name: 'Bad_Name' must use only lower-case letters")]
    [InlineData("--name", "any", "--name: 'any' is the sweep's own name")]
    [InlineData("--out", "/nonexistent-dir/x.yaml", "--out")]
    public void BadOptions_ExitTwo_NamingThem_BeforeAnythingIsRead(string option, string value, string expected)
    {
        var run = CliRunner.Run(CliRunner.WithOption(["confirm", "any", "--state-dir", Path.Combine(_dir, "none"), "--seeds", "1"], option, value));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "none")));
    }

    [Fact]
    public void WithoutSeeds_OrWithADefaultNamePastALongName_NothingIsRead()
    {
        var none = Path.Combine(_dir, "none");
        var missing = CliRunner.Run("confirm", "any", "--state-dir", none);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--seeds", missing.Stderr);
        var sweep = new string('a', 60);
        var longName = CliRunner.Run("confirm", sweep, "--state-dir", none, "--seeds", "1");
        Assert.Equal(2, longName.ExitCode);
        Assert.Contains($"'{sweep}-confirm' would be past a sweep name's 64 characters: give the new sweep's name with --name", longName.Stderr);
        Assert.False(Directory.Exists(none));
    }

    [Fact]
    public void ATabAfterName_OffersTheDefault_ForTheLinesSweep()
    {
        const string line = "gradguess confirm study --seeds 1 --name ";
        var run = CliRunner.Run($"[suggest:{line.Length}]", line);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["study-confirm"], run.StdoutLines);
    }

    private static string Lr(double lr) => Grains.Interfaces.LearningRateText.Of(lr);
}
