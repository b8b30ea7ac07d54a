using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using Spectre.Console;

namespace GradGuessCluster.Client.Tests.Comparison;

public sealed class SweepComparisonTests
{
    private static readonly SelectionSpec ByFinalTrain = new();

    private static SweepSpec Spec(string name, int epochs = 5, int guesses = 1, string set = "synthetic") => new(
        name, new DataSpec(set), new ModelSpec(), ["backprop", "wt"], ["adamw"], [1e-2, 1e-3], [0], epochs,
        Estimator: new EstimatorSpec(Guesses: guesses));

    private static ResultRow Row(string method, string optimizer, double train, double test, double? trainStd = null, double? testStd = null,
        double lr = 1e-3, bool edge = false, string? note = null) =>
        new(method, optimizer, lr, train, test, edge, 2, 2, note, trainStd, testStd);

    private static SweepResults Results(string name, SelectionSpec? rule = null, params ResultRow[] rows) =>
        new(name, SweepState.Completed, rule ?? ByFinalTrain, rows);

    [Fact]
    public void Rows_PairByMethodAndOptimizer_AsInAThenOnlyInB()
    {
        var a = Results("a", null, Row("backprop", "adamw", 0.90, 0.85), Row("wt", "adamw", 0.50, 0.48));
        var b = Results("b", null, Row("wt", "adamw", 0.60, 0.55), Row("directional", "sgd", 0.20, 0.19));
        var c = SweepComparison.Of(Spec("a"), a, Spec("b"), b);

        Assert.Equal([("backprop", "adamw"), ("wt", "adamw"), ("directional", "sgd")], c.Rows.Select(r => (r.Method, r.Optimizer)));
        Assert.Null(c.Rows[0].B);
        Assert.Null(c.Rows[0].TrainDelta);
        Assert.Equal(0.10, c.Rows[1].TrainDelta!.Value, 12);                 // B − A
        Assert.Equal(0.07, c.Rows[1].TestDelta!.Value, 12);
        Assert.Null(c.Rows[2].A);
    }

    [Fact]
    public void TheHeading_CountsTheRowsWhosePickHeld_AmongThoseBothPickIn()
    {
        var a = Results("a", null, Row("backprop", "adamw", 0.9, 0.85), Row("wt", "adamw", 0.7, 0.6), Row("downstream", "adamw", 0.7, 0.6));
        var b = Results("b", null, Row("backprop", "adamw", 0.91, 0.85), Row("wt", "adamw", 0.72, 0.6, lr: 1e-2),
            new ResultRow("downstream", "adamw", null, null, null, false, 0, 2, "no learning rate has finished yet"));

        var heading = ComparisonTable.Heading(SweepComparison.Of(Spec("a"), a, Spec("b"), b)).ToList();
        Assert.Equal("the best learning rate is the same in 1 of 2 rows (1 differs)", heading[^1]);
        var held = ComparisonTable.Heading(SweepComparison.Of(Spec("a"), a, Spec("b"), b with { Rows = [b.Rows[0]] })).ToList();
        Assert.Equal("the best learning rate is the same in 1 of 1 row", held[^1]);
        Assert.DoesNotContain(ComparisonTable.Heading(SweepComparison.Of(Spec("a"), a, Spec("b"), b with { Rows = [b.Rows[2]] })),
            l => l.StartsWith("the best learning rate is the same", StringComparison.Ordinal));   // no row both pick in
    }

    [Fact]
    public void RowsOwnRatesDifferingInManyRows_AreSaidOnce_WithOneRowBothTrain()
    {
        // A confirmation of a refined grid: every row's own rates differ. Up to three rows are named each; more are counted.
        string[] methods = ["backprop", "wt", "downstream", "directional"];
        var own = (double lr) => methods.Select(m => new RowLearningRates(m, "adamw", [lr, 5e-4])).ToList();
        var a = Results("a", null, Row("backprop", "adamw", 0.9, 0.85));
        var spec = Spec("a") with { Methods = methods, RowRates = own(3e-3) };
        var confirm = spec with { Name = "b", Seeds = [1], RowRates = [.. own(2e-3).Take(3)] };

        var c = SweepComparison.Of(spec, a, confirm, a);
        Assert.Equal(5, c.Differences.Count);   // each row's in --json
        Assert.Equal("the specs differ in: seeds 0 → 1, rowRates of 4 rows (backprop × adamw 3e-3,5e-4 → 2e-3,5e-4, ...)",
            ComparisonTable.Heading(c).ElementAt(2));
        var three = SweepComparison.Of(spec with { RowRates = [.. own(3e-3).Take(3)] }, a, confirm, a);
        Assert.Equal(3, Assert.Single(ComparisonTable.Heading(three).Skip(2).Take(1)).Split("rowRates[").Length - 1);
        // A confirmation's empty grid list reads as one, not as nothing after the arrow.
        Assert.Contains("learningRates 1e-2,1e-3 → [], ", ComparisonTable.Heading(SweepComparison.Of(spec, a, confirm with { LearningRates = [] }, a)).ElementAt(2));
    }

    [Fact]
    public void RatesListedOtherwise_ForTheSameCells_AreSaidOnce_NotAsAChangedFieldPerRow()
    {
        var rows = Spec("a") with { RowRates = [new RowLearningRates("backprop", "adamw", [3e-3]), new RowLearningRates("wt", "adamw", [3e-3])] };
        var grid = Spec("a") with { LearningRates = [1e-2, 3e-3, 1e-3] };
        var a = Results("a", null, Row("backprop", "adamw", 0.9, 0.85));

        var same = SweepComparison.Of(rows, a, grid, a);
        Assert.True(same.Relisted);
        Assert.Empty(same.Differences);
        Assert.Equal("the specs hold the same cells, listing their learning rates otherwise (learningRates and rowRates)",
            ComparisonTable.Heading(same).ElementAt(2));

        Assert.Equal("the specs differ only in their names and in how they list the same learning rates (learningRates and rowRates)",
            ComparisonTable.Heading(SweepComparison.Of(rows, a, grid with { Name = "b" }, a)).ElementAt(2));
        var longer = SweepComparison.Of(rows, a, grid with { Epochs = 9 }, a);   // another field too: named, and the listing said after it
        Assert.Equal(["epochs"], longer.Differences.Select(d => d.Field));
        Assert.Equal("the specs differ in: epochs 5 → 9; the learning rates are the same, listed otherwise (learningRates and rowRates)",
            ComparisonTable.Heading(longer).ElementAt(2));

        // Other cells (a rate in one row only) are a difference in what trained: every field is named.
        var other = SweepComparison.Of(rows with { RowRates = [rows.RowRates![0]] }, a, grid, a);
        Assert.False(other.Relisted);
        Assert.Contains(other.Differences, d => d.Field == "learningRates");
    }

    [Theory]
    [InlineData(0.009, 0.008, 0.006, true)]      // |Δ| 0.9 points ≤ √(0.8² + 0.6²) = 1.0
    [InlineData(0.011, 0.008, 0.006, false)]
    [InlineData(0.001, null, 0.006, false)]      // one seed on one side: no spread to judge by
    public void WithinSpread_ComparesTheSelectionMetricsDeltaWithBothSpreads(double delta, double? stdA, double? stdB, bool within)
    {
        var a = Results("a", null, Row("wt", "adamw", 0.5, 0.5, stdA, 0.5));
        var b = Results("b", null, Row("wt", "adamw", 0.5 + delta, 0.9, stdB, 0.5));
        Assert.Equal(within, SweepComparison.Of(Spec("a"), a, Spec("b"), b).Rows[0].WithinSpread);
    }

    [Fact]
    public void WithinSpread_ByTestAccuracy_ReadsTheTestSpread()
    {
        var rule = new SelectionSpec(SelectionMetric.TestAccuracy);
        var a = Results("a", rule, Row("wt", "adamw", 0.5, 0.50, trainStd: 0.0001, testStd: 0.01));
        var b = Results("b", rule, Row("wt", "adamw", 0.6, 0.505, trainStd: 0.0001, testStd: 0.01));
        Assert.True(SweepComparison.Of(Spec("a"), a, Spec("b"), b).Rows[0].WithinSpread);
    }

    [Fact]
    public void Identical_OnlyWhenEveryRowHasTheSameFiguresOnBothSides()
    {
        ResultRow[] rows = [Row("backprop", "adamw", 0.9, 0.85), Row("wt", "adamw", 0.5, 0.48)];
        var same = SweepComparison.Of(Spec("a"), Results("a", null, rows), Spec("b"), Results("b", null, rows));
        Assert.True(same.Identical);
        Assert.Equal("every best learning rate and accuracy is the same in both, to the last digit", ComparisonTable.Heading(same).Last());

        Assert.False(SweepComparison.Of(Spec("a"), Results("a", null, rows), Spec("b"),
            Results("b", null, rows[0], rows[1] with { TestAccuracy = 0.48 + 1e-12 })).Identical);
        Assert.False(SweepComparison.Of(Spec("a"), Results("a", null, rows), Spec("b"), Results("b", null, rows[0])).Identical);
        Assert.False(SweepComparison.Of(Spec("a"), Results("a", null, rows), Spec("b"),
            Results("b", null, rows[0], rows[1] with { BestLearningRate = 1e-2 })).Identical);
        var none = rows.Select(r => r with { BestLearningRate = null, TrainAccuracy = null, TestAccuracy = null }).ToArray();
        Assert.False(SweepComparison.Of(Spec("a"), Results("a", null, none), Spec("b"), Results("b", null, none)).Identical);   // nothing to compare yet
        // B still running, its winners so far those of A: they may yet change.
        Assert.False(SweepComparison.Of(Spec("a"), Results("a", null, rows), Spec("b"),
            Results("b", null, rows[0], rows[1] with { CellsFinished = 1 })).Identical);
    }

    /// <summary>A row with no winner on either side (every learning rate diverged) does not keep a reproduced re-run from
    /// reading as identical, as it once did; a row still running does.</summary>
    [Fact]
    public void Identical_CountsARowThatDivergedAlikeOnBothSides()
    {
        var diverged = Row("directional", "sgd", 0, 0, note: "all learning rates diverged") with { BestLearningRate = null, TrainAccuracy = null, TestAccuracy = null };
        ResultRow[] rows = [Row("backprop", "adamw", 0.9, 0.85), diverged];
        Assert.True(SweepComparison.Of(Spec("a"), Results("a", null, rows), Spec("b"), Results("b", null, rows)).Identical);

        var running = diverged with { CellsFinished = 1, Note = "no learning rate has finished yet" };
        ResultRow[] unfinished = [rows[0], running];
        Assert.False(SweepComparison.Of(Spec("a"), Results("a", null, unfinished), Spec("b"), Results("b", null, unfinished)).Identical);
        Assert.False(SweepComparison.Of(Spec("a"), Results("a", null, rows), Spec("b"),
            Results("b", null, rows[0], diverged with { Note = "no learning rate completed" })).Identical);
    }

    [Fact]
    public void Heading_SaysWhetherTheSweepsTrainedOnTheSameData_WhenBothAreKnown()
    {
        ResultRow[] rows = [Row("backprop", "adamw", 0.9, 0.85)];
        SweepComparison Compare(DataRead? a, DataRead? b) =>
            SweepComparison.Of(Spec("a"), Results("a", null, rows) with { Data = a }, Spec("a"), Results("a", null, rows) with { Data = b });
        var here = new DataRead("0123456789abcdef0123456789abcdef", "mnist in /data/mnist", "local");
        var there = new DataRead("fedcba9876543210fedcba9876543210", "mnist in /home/x/.cache/gradguess/mnist", "node-2");

        var differ = Compare(here, there);
        Assert.True(differ.DataDiffer);
        Assert.Contains("the data differ: A trained on mnist in /data/mnist (digest 0123456789abcdef0123456789abcdef), "
            + "B on mnist in /home/x/.cache/gradguess/mnist (digest fedcba9876543210fedcba9876543210)", ComparisonTable.Heading(differ));
        // The same examples read elsewhere are the same data.
        var same = Compare(here, there with { Digest = here.Digest });
        Assert.False(same.DataDiffer);
        Assert.Contains("both trained on the same data (digest 0123456789abcdef0123456789abcdef)", ComparisonTable.Heading(same));
        foreach (var unknown in new[] { Compare(here, null), Compare(null, there), Compare(null, null) })
        {
            Assert.False(unknown.DataDiffer);
            Assert.DoesNotContain(ComparisonTable.Heading(unknown), l => l.Contains("data", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void DifferentRules_AreRefused() =>
        Assert.Throws<ArgumentException>(() => SweepComparison.Of(Spec("a"), Results("a"), Spec("b"),
            Results("b", new SelectionSpec(At: SelectionPoint.Best))));

    [Fact]
    public void Differences_NameEveryChangedFieldButTheName()
    {
        var same = SweepComparison.Of(Spec("a"), Results("a"), Spec("b"), Results("b"));
        Assert.Empty(same.Differences);
        Assert.Equal("the specs differ only in their names", ComparisonTable.Heading(same).Last());

        var changed = SweepComparison.Of(Spec("a"), Results("a"), Spec("b", epochs: 10, guesses: 4, set: "mnist"), Results("b"));
        var fields = changed.Differences.Select(d => d.Field).ToList();
        Assert.Contains("epochs", fields);
        Assert.Contains("estimator.guesses", fields);
        Assert.Contains("data.set", fields);
        Assert.Contains("data.train", fields);                                // a synthetic-only field: absent from B
        Assert.Null(changed.Differences.Single(d => d.Field == "data.train").B);
        var line = ComparisonTable.Heading(changed).Last();
        Assert.Contains("epochs 5 → 10", line);
        Assert.Contains("data.train 2048 → (none)", line);
    }

    /// <summary>The output layer's rate scale is in a spec's canonical form only where set: unset it reads as the 1 it is.</summary>
    [Fact]
    public void Differences_OfAnOutputLayerRate_ReadUnsetAsOne()
    {
        var scaled = Spec("b") with { Optimizer = new OptimizerSpec(OutputLrScale: 0.4) };
        Assert.Contains("optimizer.outputLrScale 1 (unset) → 0.4", ComparisonTable.Heading(SweepComparison.Of(Spec("a"), Results("a"), scaled, Results("b"))).Last());
        Assert.Contains("optimizer.outputLrScale 0.4 → 1 (unset)", ComparisonTable.Heading(SweepComparison.Of(scaled, Results("b"), Spec("a"), Results("a"))).Last());
        var refusal = Assert.Single(SpecCanonical.Differences(Spec("a"), Spec("a") with { Optimizer = new OptimizerSpec(OutputLrScale: 0.4) }));
        Assert.Equal(("optimizer.outputLrScale", "stored 1 (unset), submitted 0.4"), (refusal.Path, refusal.Message));
    }

    /// <summary>Likewise the initialisation's scale.</summary>
    [Fact]
    public void Differences_OfAnInitScale_ReadUnsetAsOne()
    {
        var scaled = Spec("b") with { Model = Spec("b").Model with { InitScale = 0.1 } };
        Assert.Contains("model.initScale 1 (unset) → 0.1", ComparisonTable.Heading(SweepComparison.Of(Spec("a"), Results("a"), scaled, Results("b"))).Last());
        var refusal = Assert.Single(SpecCanonical.Differences(scaled with { Name = "a" }, Spec("a")));
        Assert.Equal(("model.initScale", "stored 0.1, submitted 1 (unset)"), (refusal.Path, refusal.Message));
    }

    /// <summary>Long values that differ late (one method fewer) read apart on the differences line: cut at a fixed
    /// length, both sides printed as the same text.</summary>
    [Fact]
    public void Differences_OfLongValues_ShowWhereTheyDiffer()
    {
        string[] six = ["backprop", "wt", "downstream", "activation-mixing", "activation-perturbation", "directional"];
        var a = Spec("a") with { Methods = six };
        var line = ComparisonTable.Heading(SweepComparison.Of(a, Results("a"), a with { Name = "b", Methods = six[..5] }, Results("b"))).Last();
        Assert.Equal("the specs differ in: methods ...perturbation,directional → ...perturbation", line);
    }

    /// <summary>Values read as a spec and the tables write them, not as the canonical text that cell ids hash (1E-05, Lr).</summary>
    [Fact]
    public void Differences_ReadAsASpecWritesThem()
    {
        var b = Spec("b") with
        {
            LearningRates = [1e-2, 1e-3, 1e-5], Packing = PackingMode.Lr, Selection = new SelectionSpec(SelectionMetric.TestAccuracy, SelectionPoint.Best),
            Optimizer = new OptimizerSpec(Epsilon: 1e-12),
        };
        var line = ComparisonTable.Heading(SweepComparison.Of(Spec("a"), Results("a"), b, Results("b"))).Last();   // both ranked by A's rule, as compare does
        foreach (var part in new[] { "learningRates 1e-2,1e-3 → 1e-2,1e-3,1e-5", "packing none → lr", "selection.metric trainAccuracy → testAccuracy",
                     "selection.at final → best", "optimizer.epsilon (optimizer default) → 1e-12" })
            Assert.Contains(part, line);
        var refusal = Assert.Single(SpecCanonical.Differences(Spec("a"), Spec("a") with { LearningRates = [1e-5] }));
        Assert.Equal("stored 1e-2,1e-3, submitted 1e-5", refusal.Message);
    }

    /// <summary>The study's grid: the longest names, edge-marked learning rates.</summary>
    private static SweepComparison Study()
    {
        string[] methods = ["backprop", "wt", "downstream", "activation-mixing", "activation-perturbation", "directional"];
        string[] optimizers = ["sgd", "adamw", "stable-adamw"];
        var rows = methods.SelectMany(m => optimizers.Select(o => Row(m, o, 0.8512, 0.8234, 0.0123, 0.0101, 1e-5, edge: true))).ToArray();
        var spec = Spec("a") with { Methods = methods, Optimizers = optimizers };
        return SweepComparison.Of(spec, Results("a", null, rows), spec with { Name = "b" },
            Results("b", null, rows.Select(r => r with { TrainAccuracy = 0.1234 }).ToArray()));
    }

    [Theory]
    [InlineData(120, true)]
    [InlineData(100, true)]
    [InlineData(90, false)]
    [InlineData(80, false)]      // and "activation-p…", "activation-m…" (the study grid needs 80 columns at least)
    public void Table_FitsTheTerminal_DroppingTheOtherDeltaFirst_ThenCuttingNames(int width, bool otherDelta)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = width;
        console.Write(ComparisonTable.Build(Study(), width));
        var lines = writer.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Equal(otherDelta, lines[0].Contains("Δ test", StringComparison.Ordinal));
        Assert.Equal(2 + 18, lines.Count);                                    // header, rule, one line per row
        var methods = lines.Skip(2).Select(l => l.Trim().Split(' ')[0]).Distinct().ToList();
        Assert.Equal(6, methods.Count);                                       // cut or not, every method reads apart
        Assert.Equal(width >= 90, methods.Contains("activation-perturbation"));
        Assert.Contains(lines, l => l.Contains("-72.78", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_HasEveryFigureWithSpreadsAndTheFootnotes()
    {
        var lines = ComparisonMarkdown.Lines(Study()).ToList();
        Assert.Equal("| method | optimizer | LR A | LR B | train A | train B | Δ train | test A | test B | Δ test |", lines[0]);
        Assert.Equal("| backprop | sgd | 1e-5 \\* | 1e-5 \\* | 85.12% ±1.23 | 12.34% ±1.23 | -72.78 | 82.34% ±1.01 | 82.34% ±1.01 | 0.00 |", lines[2]);
        Assert.Equal(2 + 18, lines.TakeWhile(l => l.Length > 0).Count());
        Assert.Contains(lines, l => l.StartsWith("\\* at the edge of its grid", StringComparison.Ordinal));
    }

    [Fact]
    public void WhereTheBestLearningRatesDiffer_EachSweepsLeadIsSaid_InTheTableNotesAndInMarkdown()
    {
        var a = Results("a", null, Row("backprop", "adamw", 0.90, 0.85) with { RunnerUpLearningRate = 1e-2, Lead = 0.0675 },
            Row("wt", "adamw", 0.50, 0.48) with { RunnerUpLearningRate = 1e-2, Lead = 0.0006 });
        var b = Results("b", null, Row("backprop", "adamw", 0.91, 0.85) with { RunnerUpLearningRate = 1e-2, Lead = 0.01 },
            Row("wt", "adamw", 0.52, 0.50, lr: 1e-2));
        var c = SweepComparison.Of(Spec("a"), a, Spec("b"), b);

        Assert.Null(ComparisonTable.LearningRatesDiffer(c.Rows[0]));          // the same rate: nothing to say
        const string moved = "the best learning rates differ: A's 1e-3 led 1e-2 by 0.06, B's 1e-2 had no other learning rate to beat " +
                             "(points of the selection metric)";
        Assert.Equal(moved, ComparisonTable.LearningRatesDiffer(c.Rows[1]));

        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No });
        console.Profile.Width = 400;
        ComparisonTable.Render(c, console);
        Assert.Single(writer.ToString().Split('\n'), l => l.Trim() == "wt adamw: " + moved);
        Assert.Contains("- wt adamw: " + moved, ComparisonMarkdown.Lines(c));
        Assert.DoesNotContain(ComparisonMarkdown.Lines(c), l => l.StartsWith("- backprop", StringComparison.Ordinal));
    }
}
