using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Refinement;

/// <summary><c>refine</c> on sweeps a real <c>local</c> ran: the spec it writes grows the sweep with <c>--extend</c>, and
/// what it refuses leaves nothing written.</summary>
public sealed class RefineCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-refine-" + Guid.NewGuid().ToString("N")[..8]);

    public RefineCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheRefinedSpec_AddsTheRatesEachPickCallsFor_AndGrowsTheSweepWithExtend()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(LocalSpecs.Write(_dir, "grow", epochs: 2, learningRates: "1.0e-1, 1.0e-2"), state);
        var refined = Path.Combine(_dir, "refined.yaml");

        var run = CliRunner.Run("refine", "grow", "--state-dir", state, "--out", refined, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!;
        // Two rates: every pick is at an edge. Past it by the grid's step (10), and the middle toward the other, 3e-2.
        var expected = new Dictionary<double, double[]> { [1e-1] = [1.0, 3e-2], [1e-2] = [1e-3, 3e-2] };
        var rows = json["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
            Assert.Equal(expected[(double)row!["best"]!], row["rates"]!.AsArray().Select(r => (double)r!["learningRate"]!));
        // Each row's rates go to its own rowRates (a row's pick asks nothing of the other row), but those both rows ask for
        // (3e-2 whatever they pick; 1e-1 too where they pick the same) go to learningRates.
        var added = rows.ToDictionary(r => (string)r!["method"]!, r => expected[(double)r!["best"]!]);
        var shared = added["backprop"].Intersect(added["wt"]).OrderDescending().ToList();
        Assert.Contains(3e-2, shared);
        var grid = new[] { 1e-1, 1e-2 }.Concat(shared).OrderDescending().ToList();
        int ownRates = 4 - 2 * shared.Count;
        Assert.Equal(added.OrderBy(a => a.Key).Select(a => $"{a.Key}: {string.Join(",", a.Value.Order())}"),
            json["added"]!.AsArray().Select(a => $"{a!["method"]}: {string.Join(",", a["learningRates"]!.AsArray().Select(r => (double)r!))}").Order());
        Assert.Equal(4, (int)json["cellsAdded"]!);   // 2 rates × 2 rows × 1 seed
        Assert.Contains("added: 4 learning rates to 2 rows × 1 seed = 4 cells", run.Stderr);
        Assert.Contains($"learningRates +{string.Join(", +", shared.Select(LearningRateText.Of))}: every row has", run.Stderr);
        Assert.Contains($"next: ./gradguess local {refined} --extend --state-dir {state}", run.Stderr);
        Assert.Contains($"cost: ./gradguess plan {refined} --extend --state-dir {state} --measure", run.Stderr);
        // What that plan says it trains is what refine counted.
        var plan = CliRunner.Run("plan", refined, "--extend", "--state-dir", state);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains("extension    4 cells in ", plan.Stdout);
        var product = $"2 methods × 1 optimizer × {grid.Count} learning rates";
        Assert.Contains($"{(ownRates > 0 ? $"({product} + {ownRates} rates of rowRates)" : product)} × 1 seed = 8 cells", plan.Stdout);

        // The file is the stored spec with the added rates in learningRates (in its descending order) and rowRates: nothing else changed.
        var stored = CliRunner.Run("status", "grow", "--state-dir", state, "--spec");
        var before = SweepSpecParser.Parse(stored.Stdout);
        var after = SweepSpecParser.ParseFile(refined);
        Assert.Equal(grid, after.LearningRates);
        foreach (var (method, rates) in added) Assert.Equal([.. grid, .. rates.Except(shared).Order()], after.RatesFor(method, "adamw"));
        Assert.Equal(SweepSpecWriter.Write(before with { LearningRates = after.LearningRates, RowRates = after.RowRates }), File.ReadAllText(refined));

        // Grown with --extend, each row trains its own added rates; the stored cells keep their results.
        var grown = CliRunner.Run("local", refined, "--state-dir", state, "--metrics-port", "0", "--extend");
        Assert.True(grown.ExitCode == 0, grown.Stderr);
        var results = JsonNode.Parse(CliRunner.Run("results", "grow", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        foreach (var row in results)
        {
            var rates = row!["rates"]!.AsArray();
            Assert.Equal(after.RatesFor((string)row["method"]!, "adamw"), rates.Select(r => (double)r!["learningRate"]!));
            Assert.All(rates, r => Assert.Contains((string?)r!["outcome"], new[] { "scored", "diverged" }));
        }
        Assert.Contains($"grown with --extend: learningRates +{string.Join(", +", shared.Select(LearningRateText.Of))}" + (ownRates > 0 ? ", rowRates backprop × adamw +" : ""),
            CliRunner.Run("status", "grow", "--state-dir", state).Stdout);

        // Asked again, refine starts from the grown rows.
        var again = JsonNode.Parse(CliRunner.Run("refine", "grow", "--state-dir", state, "--json").Stdout)!;
        Assert.Equal(after.LearningRates, again["learningRates"]!.AsArray().Select(a => (double)a!).Where(after.LearningRates.Contains));
        foreach (var row in again["rowRates"]!.AsArray())
        {
            var own = after.RowRatesOrEmpty.Single(r => r.Method == (string)row!["method"]!).LearningRates;
            Assert.Equal(own, row!["learningRates"]!.AsArray().Select(a => (double)a!).Take(own.Count));
        }
    }

    [Fact]
    public void WithoutOut_TheSpecIsOnStdout_AndWithNothingToAdd_NothingIsWritten()
    {
        var state = Path.Combine(_dir, "state");
        var path = Path.Combine(_dir, "inner.yaml");
        File.WriteAllText(path, """
            name: inner
            data: { set: synthetic, train: 512, test: 128, features: 32 }
            model: { depth: 2, width: 32 }
            methods: [backprop]
            optimizers: [sgd]
            learningRates: [1.0e+3, 1.0e-1, 1.0e-3]
            epochs: 2
            batchSize: 64
            """);
        LocalSpecs.Run(path, state);
        var results = JsonNode.Parse(CliRunner.Run("results", "inner", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        Assert.Equal(0.1, (double)results.Single()!["bestLearningRate"]!);   // the case: a pick inside the grid

        var printed = CliRunner.Run("refine", "inner", "--state-dir", state);
        Assert.True(printed.ExitCode == 0, printed.Stderr);
        // The middles toward 1e-3 and 1e3; the sweep's only row is its grid, so they go to learningRates, in its descending order.
        Assert.Equal([1e3, 10, 1e-1, 1e-2, 1e-3], SweepSpecParser.Parse(printed.Stdout).LearningRates);
        Assert.Null(SweepSpecParser.Parse(printed.Stdout).RowRates);
        Assert.Contains("backprop × sgd  pick 1e-1: 1e-2 (toward 1e-3), 1e+1 (toward 1e+3, which diverged)", printed.Stderr);
        Assert.Contains("next: ./gradguess local SPEC.yaml --extend --state-dir", printed.Stderr);

        // One rate a row at most: the middle toward the better neighbour (1e3 diverged); the other is named.
        var one = CliRunner.Run("refine", "inner", "--state-dir", state, "--max-rates", "1", "--json");
        Assert.True(one.ExitCode == 0, one.Stderr);
        Assert.Equal([1e-2], JsonNode.Parse(one.Stdout)!["added"]!.AsArray().Single()!["learningRates"]!.AsArray().Select(a => (double)a!));
        Assert.Contains("left out by --max-rates: backprop × sgd 1e+1", one.Stderr);

        var file = Path.Combine(_dir, "edges.yaml");
        var edges = CliRunner.Run("refine", "inner", "--state-dir", state, "--edges-only", "--out", file, "--json");
        Assert.True(edges.ExitCode == 0, edges.Stderr);
        Assert.Contains("nothing to add", edges.Stderr);
        Assert.Empty(JsonNode.Parse(edges.Stdout)!["added"]!.AsArray());
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void MethodAndOptimizer_RefineOnlyTheirRows_AndAnUnknownOneIsNamed()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(LocalSpecs.Write(_dir, "some", epochs: 1, learningRates: "1.0e-1, 1.0e-2"), state);
        var file = Path.Combine(_dir, "some-next.yaml");

        var run = CliRunner.Run("refine", "some", "--state-dir", state, "--method", "wt", "--out", file, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(["wt"], json["rows"]!.AsArray().Select(r => (string)r!["method"]!));
        Assert.Equal(["wt"], json["added"]!.AsArray().Select(r => (string)r!["method"]!));
        Assert.Equal(2, (int)json["cellsAdded"]!);
        Assert.Contains("left alone by --method/--optimizer: 1 of 2 rows", run.Stderr);
        var spec = SweepSpecParser.ParseFile(file);
        Assert.Equal([1e-1, 1e-2], spec.RatesFor("backprop", "adamw"));
        Assert.Equal(4, spec.RatesFor("wt", "adamw").Count);

        var wrong = CliRunner.Run("refine", "some", "--state-dir", state, "--method", "wtt", "--out", Path.Combine(_dir, "x.yaml"));
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("--method: 'wtt' is not a method of sweep 'some' (backprop, wt); did you mean 'wt'?", wrong.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "x.yaml")));
        var none = CliRunner.Run("refine", "some", "--state-dir", state, "--optimizer", "sgd");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("--optimizer: 'sgd' is not an optimizer of sweep 'some' (adamw)", none.Stderr);
    }

    [Fact]
    public void AGrownGridPastMaxCells_IsRefusedNamingIt_AndNothingIsWritten()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(LocalSpecs.Write(_dir, "capped", epochs: 1, extra: "maxCells: 4"), state);   // 2 methods × 2 rates: full
        var file = Path.Combine(_dir, "capped-next.yaml");
        var run = CliRunner.Run("refine", "capped", "--state-dir", state, "--out", file);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("the refined spec would not be valid", run.Stderr);
        Assert.Contains("maxCells", run.Stderr);
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData("--resolution", "1", "--resolution must be above 1")]
    [InlineData("--resolution", "nan", "--resolution must be above 1")]
    [InlineData("--out", "/nonexistent-dir/x.yaml", "--out")]
    [InlineData("--max-rates", "0", "--max-rates must be a whole number from 1")]
    [InlineData("--max-rates", "abc", "--max-rates")]
    [InlineData("--resolution", "inf", "--resolution")]
    public void BadOptions_ExitTwo_NamingThem(string option, string value, string expected)
    {
        var run = CliRunner.Run("refine", "any", "--state-dir", Path.Combine(_dir, "none"), option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "none")));
    }

    [Fact]
    public void AnUnknownSweep_IsNamed()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(LocalSpecs.Write(_dir, "known", epochs: 1), state);
        var run = CliRunner.Run("refine", "unknown", "--state-dir", state);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("unknown", run.Stderr);
        Assert.Empty(run.Stdout);
    }
}
