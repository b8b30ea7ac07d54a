using GradGuessCluster.Client.Refinement;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Refinement;

public sealed class ConfirmationTests
{
    private static readonly double[] Decades = [1e-2, 1e-3, 1e-4, 1e-5];

    /// <summary>A row scoring each rate as given (null: diverged), its pick and runner-up as results names them.</summary>
    private static ResultRow Row(string method, string optimizer, double best, double? runnerUp, params (double Lr, double? Score)[] rates) =>
        new(method, optimizer, best, 0.9, 0.8, false, rates.Length, rates.Length, null, RunnerUpLearningRate: runnerUp,
            Rates: [.. rates.Select(r => r.Score is { } s ? new RateScore(r.Lr, RateOutcome.Scored, s) : new RateScore(r.Lr, RateOutcome.Diverged))]);

    /// <summary>A sweep over wt and backprop × adamw and sgd on <paramref name="grid"/>, seed 0, with settings of its own.</summary>
    private static SweepSpec Spec(double[] grid, params RowLearningRates[] rowRates) =>
        new("s", new DataSpec(DataSpec.SyntheticSet), new ModelSpec(), ["wt", "backprop"], ["adamw", "sgd"], [.. grid], [0], 3,
            BatchSize: 64, EvaluateEvery: 3, CheckpointEvery: 2, Selection: new SelectionSpec(SelectionMetric.TestAccuracy, SelectionPoint.Best),
            Estimator: new EstimatorSpec(Guesses: 4), MaxCells: 500, RowRates: rowRates.Length > 0 ? rowRates : null);

    private static ConfirmedRow Confirmed(string method, string optimizer, params double[] rates) =>
        new(method, optimizer, [.. rates.Select(lr => new RateScore(lr, RateOutcome.Scored, 0.5))]);

    [Fact]
    public void TheTopN_AreThePick_TheRunnerUp_ThenByScore_OnlyScoredOnes()
    {
        // 1e-4 ties the runner-up's score; results named 1e-2 (by train loss), so it comes second. 1e-5 diverged.
        var row = Row("wt", "adamw", 1e-3, 1e-2, (1e-2, 0.7), (1e-3, 0.8), (1e-4, 0.7), (3e-4, 0.6), (1e-5, null));
        Assert.Equal([1e-3, 1e-2], Confirmation.Choose([row], 2).Single().LearningRates);
        Assert.Equal([1e-3, 1e-2, 1e-4, 3e-4], Confirmation.Choose([row], 4).Single().LearningRates);
        // Fewer scored rates than asked for: those there are.
        Assert.Equal([1e-3, 1e-2, 1e-4, 3e-4], Confirmation.Choose([row], 9).Single().LearningRates);
        Assert.Equal([0.8], Confirmation.Choose([row], 1).Single().Rates.Select(r => r.Score!.Value));
        var pending = row with { Rates = [.. row.Rates!.Select(r => r.LearningRate == 1e-2 ? new RateScore(1e-2, RateOutcome.Pending) : r)] };
        Assert.Equal([1e-3, 1e-4], Confirmation.Choose([pending], 2).Single().LearningRates);
    }

    [Fact]
    public void ARowWithoutAScoredRate_IsRefusedNamingIt_AndHowToLeaveItOut()
    {
        var good = Row("wt", "adamw", 1e-3, null, (1e-3, 0.8));
        var diverged = new ResultRow("backprop", "sgd", null, null, null, false, 2, 2, "all learning rates diverged",
            Rates: [new RateScore(1e-2, RateOutcome.Diverged), new RateScore(1e-3, RateOutcome.Diverged)]);
        var one = Assert.Throws<UsageException>(() => Confirmation.Choose([good, diverged], 2));
        Assert.Equal("nothing to confirm in backprop × sgd (all learning rates diverged): leave it out with --method/--optimizer " +
                     "(the new sweep's grid is the methods × optimizers they name)", one.Message);
        var running = diverged with { Method = "wt", Note = "no learning rate has finished yet", Rates = [new RateScore(1e-2, RateOutcome.Pending)] };
        var two = Assert.Throws<UsageException>(() => Confirmation.Choose([running, good, diverged], 2));
        Assert.StartsWith("nothing to confirm in 2 rows: wt × sgd (no learning rate has finished yet); backprop × sgd (all learning rates diverged): leave them out", two.Message);
    }

    [Fact]
    public void RatesEveryRowTrains_GoToLearningRatesInTheGridsOrder_TheRestToEachRowsRowRates()
    {
        var spec = Spec(Decades);
        var confirmed = Confirmation.Spec(spec, "s-confirm",
            [Confirmed("wt", "adamw", 1e-4, 1e-3), Confirmed("wt", "sgd", 1e-3, 1e-2), Confirmed("backprop", "adamw", 1e-3, 1e-4), Confirmed("backprop", "sgd", 1e-5, 1e-3)], [1, 2]);
        Assert.Equal([1e-3], confirmed.LearningRates);
        Assert.Equal(["wt × adamw: 1e-4", "wt × sgd: 1e-2", "backprop × adamw: 1e-4", "backprop × sgd: 1e-5"], Own(confirmed));
        Assert.Equal(16, confirmed.CellCount);   // 4 rows × 2 rates × 2 seeds
        // Everything but the grid, the seeds and the name is the sweep's.
        Assert.Equal(SweepSpecWriter.Write(spec with { Name = "s-confirm", LearningRates = confirmed.LearningRates, RowRates = confirmed.RowRates, Seeds = [1, 2] }),
            SweepSpecWriter.Write(confirmed));

        // Rows that train the same rates: a grid and no rowRates, in the grid's order whatever the ranking.
        var same = Confirmation.Spec(spec, "s-confirm", [.. spec.Methods.SelectMany(m => spec.Optimizers.Select(o => Confirmed(m, o, 1e-4, 1e-2)))], [5]);
        Assert.Equal([1e-2, 1e-4], same.LearningRates);
        Assert.Null(same.RowRates);
    }

    [Fact]
    public void RowsSharingNoRate_HaveAnEmptyGrid_AndEachItsOwn_LargestFirstUnlessTheGridAscends()
    {
        // backprop × sgd's 3e-3 is a rate of its own in the sweep: it sorts among the row's, not after them.
        var spec = Spec(Decades, new RowLearningRates("backprop", "sgd", [3e-3]));
        ConfirmedRow[] rows = [Confirmed("wt", "adamw", 1e-4, 1e-3), Confirmed("wt", "sgd", 1e-3, 1e-2), Confirmed("backprop", "adamw", 1e-4), Confirmed("backprop", "sgd", 1e-3, 3e-3, 1e-2)];
        var confirmed = Confirmation.Spec(spec, "s-confirm", rows, [1]);
        Assert.Empty(confirmed.LearningRates);
        Assert.Equal(["wt × adamw: 1e-3 1e-4", "wt × sgd: 1e-2 1e-3", "backprop × adamw: 1e-4", "backprop × sgd: 1e-2 3e-3 1e-3"], Own(confirmed));
        Assert.Equal(8, confirmed.CellCount);
        // What is written reads back as the same sweep (the parser takes an empty grid where every row has its own).
        var read = SweepSpecParser.Parse(SweepSpecWriter.Write(confirmed));
        Assert.Equal(SpecPacks.Cells(confirmed).ToHashSet(), SpecPacks.Cells(read).ToHashSet());
        Assert.Equal(8, read.CellCount);

        var ascending = Confirmation.Spec(Spec([.. Decades.Reverse()]), "s-confirm", rows, [1]);
        Assert.Equal("wt × adamw: 1e-4 1e-3", Own(ascending)[0]);
    }

    [Fact]
    public void NarrowedRows_NarrowTheGridsMethodsAndOptimizers_AndRowsThatAreNoProductAreNone()
    {
        var spec = Spec(Decades);
        var wt = Confirmation.Spec(spec, "s-wt", [Confirmed("wt", "sgd", 1e-2), Confirmed("wt", "adamw", 1e-3)], [1]);
        Assert.Equal(["wt"], wt.Methods);
        Assert.Equal(["adamw", "sgd"], wt.Optimizers);   // the sweep's order
        Assert.Equal(["wt × sgd: 1e-2", "wt × adamw: 1e-3"], Own(wt));
        Assert.Throws<ArgumentException>(() => Confirmation.Spec(spec, "x", [Confirmed("wt", "sgd", 1e-2), Confirmed("backprop", "adamw", 1e-3)], [1]));
    }

    [Theory]
    [InlineData("1,2", new[] { 1, 2 }, null)]
    [InlineData(" 3 , 0", new[] { 3, 0 }, null)]
    [InlineData("7", new[] { 7 }, null)]
    [InlineData("1,1", null, "--seeds: 1 is given twice")]
    [InlineData("-1", null, "--seeds: expected whole numbers from 0, comma-separated, got '-1'")]
    [InlineData("1,,2", null, "got ''")]
    [InlineData("", null, "got ''")]
    [InlineData("1.5", null, "got '1.5'")]
    [InlineData("99999999999", null, "got '99999999999'")]
    public void Seeds_AreWholeNumbersFromZero_EachOnce(string list, int[]? expected, string? problem)
    {
        var (seeds, wrong) = Confirmation.ReadSeeds(list);
        if (expected is not null) Assert.Equal(expected, seeds);
        if (problem is null) Assert.Null(wrong);
        else Assert.Contains(problem, wrong);
    }

    [Fact]
    public void ASeedTheSweepTrained_IsRefused_AndTheDefaultName_MustFitASweepName()
    {
        var spec = Spec(Decades) with { Seeds = [0, 4] };
        Assert.Null(Confirmation.OwnSeed(spec, [1, 2]));
        Assert.Equal("--seeds: seed 4 is the sweep's own: it trains the same curves again (training is deterministic per seed)",
            Confirmation.OwnSeed(spec, [1, 4, 0]));
        Assert.Equal("study-confirm", Confirmation.DefaultName("study"));
        Assert.Equal(64, Confirmation.DefaultName(new string('a', 56))!.Length);
        Assert.Null(Confirmation.DefaultName(new string('a', 57)));
    }

    /// <summary>The spec's rowRates as "wt × adamw: 1e-3 1e-4".</summary>
    private static string[] Own(SweepSpec spec) =>
        [.. spec.RowRatesOrEmpty.Select(r => $"{r.Method} × {r.Optimizer}: {string.Join(" ", r.LearningRates.Select(LearningRateText.Of))}")];
}
