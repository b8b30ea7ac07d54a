using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

public sealed class ResultsSelectorTests
{
    private static (SweepSpec Spec, SweepGrid Grid, Dictionary<string, CellEntry> Ledger) Sweep(params double[] lrs)
    {
        var spec = TestSpecs.Small("r", lrs, seeds: [0, 1]);
        var grid = SweepGrid.Expand(spec);
        return (spec, grid, grid.Cells.ToDictionary(c => c.CellId, _ => new CellEntry()));
    }

    private static void Finish(SweepGrid grid, Dictionary<string, CellEntry> ledger, double lr, int seed, double train, double test,
        CellState state = CellState.Completed)
    {
        var entry = ledger[grid.Cells.Single(c => c.Config.LearningRate == lr && c.Config.Seed == seed).CellId];
        (entry.State, entry.FinalTrainAccuracy, entry.FinalTestAccuracy) = (state, train, test);
    }

    [Fact]
    public void Select_PicksBestMeanOverSeedsAndFlagsNoEdgeInside()
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.01, 0.001);
        Finish(grid, ledger, 0.1, 0, 0.5, 0.4); Finish(grid, ledger, 0.1, 1, 0.6, 0.5);
        Finish(grid, ledger, 0.01, 0, 0.9, 0.7); Finish(grid, ledger, 0.01, 1, 0.5, 0.6);   // mean 0.7: best
        Finish(grid, ledger, 0.001, 0, 0.95, 0.1); Finish(grid, ledger, 0.001, 1, 0.3, 0.1); // mean 0.625

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Equal(0.01, row.BestLearningRate);
        Assert.Equal(0.7, row.TrainAccuracy!.Value, 12);
        Assert.Equal(0.65, row.TestAccuracy!.Value, 12);
        Assert.False(row.AtGridEdge);
        Assert.Equal(6, row.CellsFinished);
        Assert.Null(row.Note);
        // Spread of the winner's two seeds (0.9, 0.5 and 0.7, 0.6), n − 1 = 1: |a − b| / √2.
        Assert.Equal(0.4 / Math.Sqrt(2), row.TrainAccuracyStd!.Value, 12);
        Assert.Equal(0.1 / Math.Sqrt(2), row.TestAccuracyStd!.Value, 12);
    }

    [Fact]
    public void Select_ListsEveryLearningRate_InTheSpecsOrder_WithItsScoreOrWhyItHasNone()
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.03, 0.01, 0.003, 0.001);
        Finish(grid, ledger, 0.1, 0, 0.9, 0.9); Finish(grid, ledger, 0.1, 1, 0, 0, CellState.Diverged);   // one seed diverged
        Finish(grid, ledger, 0.03, 0, 0.8, 0.7); Finish(grid, ledger, 0.03, 1, 0.6, 0.5);                 // scored: 0.7 ± 0.14
        Finish(grid, ledger, 0.01, 0, 0.9, 0.9); Finish(grid, ledger, 0.01, 1, 0, 0, CellState.Failed);
        Finish(grid, ledger, 0.003, 0, 0.9, 0.9); Finish(grid, ledger, 0.003, 1, 0, 0, CellState.Running);
        Finish(grid, ledger, 0.001, 0, 0.5, 0.4); Finish(grid, ledger, 0.001, 1, 0, 0, CellState.Cancelled);

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Equal(0.03, row.BestLearningRate);
        var rates = row.Rates!;
        Assert.Equal([0.1, 0.03, 0.01, 0.003, 0.001], rates.Select(r => r.LearningRate));
        Assert.Equal([RateOutcome.Diverged, RateOutcome.Scored, RateOutcome.Failed, RateOutcome.Pending, RateOutcome.Failed],
            rates.Select(r => r.Outcome));
        Assert.Equal(0.7, rates[1].Score!.Value, 12);
        Assert.Equal(0.2 / Math.Sqrt(2), rates[1].ScoreStd!.Value, 12);
        Assert.All(rates.Where(r => r.Outcome != RateOutcome.Scored), r => Assert.Null(r.Score));
        Assert.Equal("1 cell still running or queued; 1 learning rate diverged (1e-1 on 1 of its 2 seeds; a seed's divergence rules its rate out); " +
                     "2 learning rates failed or cancelled, not compared (resuming the sweep retries them)",
            row.Note);
    }

    /// <summary>A rate ruled out by one seed's divergence while its other seed completed: "all learning rates diverged"
    /// alone read as if no curve had completed (a confirmation's row of one rate, seed 1 diverged at epoch 41 and seed 2
    /// ended at 91.57 %).</summary>
    [Fact]
    public void Select_AllRatesRuledOut_NamesTheRatesThatDivergedOnSomeSeedsOnly()
    {
        var (spec, grid, ledger) = Sweep(0.03, 0.01);
        Finish(grid, ledger, 0.03, 0, 0.9, 0.8, CellState.Diverged); Finish(grid, ledger, 0.03, 1, 0.9157, 0.8624);
        Finish(grid, ledger, 0.01, 0, 0.1, 0.1, CellState.Diverged); Finish(grid, ledger, 0.01, 1, 0.1, 0.1, CellState.Diverged);

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Null(row.BestLearningRate);
        Assert.Equal("all learning rates diverged (3e-2 on 1 of its 2 seeds; a seed's divergence rules its rate out)", row.Note);
        Assert.Equal([(1, 2, true), (2, 2, false)], row.Rates!.Select(r => (r.DivergedSeeds, r.Seeds, r.PartlyDiverged)));

        Finish(grid, ledger, 0.03, 1, 0.1, 0.1, CellState.Diverged);   // every seed of every rate: nothing to add
        Assert.Equal("all learning rates diverged", ResultsSelector.Select(spec, grid, ledger).Single().Note);
    }

    [Fact]
    public void Select_ARowOfOneRateThatDiverged_NamesIt_RatherThanSayAll()
    {
        var (spec, grid, ledger) = Sweep(1e3);
        Finish(grid, ledger, 1e3, 0, 0.1, 0.1, CellState.Diverged);
        Finish(grid, ledger, 1e3, 1, 0.9, 0.8);
        Assert.Equal("its only learning rate, 1e+3, diverged (1e+3 on 1 of its 2 seeds; a seed's divergence rules its rate out)",
            ResultsSelector.Select(spec, grid, ledger).Single().Note);

        Finish(grid, ledger, 1e3, 1, 0.1, 0.1, CellState.Diverged);
        Assert.Equal("its only learning rate, 1e+3, diverged", ResultsSelector.Select(spec, grid, ledger).Single().Note);
    }

    [Fact]
    public void Rows_ReadTwice_AreEqual_RateByRate_AndARowWhoseRatesDiffer_IsNot()
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.01);
        Finish(grid, ledger, 0.1, 0, 0.5, 0.4); Finish(grid, ledger, 0.1, 1, 0.6, 0.5);
        Finish(grid, ledger, 0.01, 0, 0.9, 0.7); Finish(grid, ledger, 0.01, 1, 0.5, 0.6);

        var (first, second) = (ResultsSelector.Select(spec, grid, ledger).Single(), ResultsSelector.Select(spec, grid, ledger).Single());

        Assert.NotSame(first.Rates, second.Rates);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, second with { Rates = [second.Rates![0], second.Rates[1] with { Score = 0.71 }] });
        Assert.NotEqual(first, second with { Rates = null });
    }

    [Fact]
    public void Select_ScoresEveryRate_ByTheRuleAskedFor_AndARowWithNoWinnerStillListsThem()
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.01);
        foreach (var (lr, bestTest) in new[] { (0.1, 0.3), (0.01, 0.6) })
            for (var seed = 0; seed < 2; seed++)
            {
                Finish(grid, ledger, lr, seed, 0.9, 0.1);
                ledger[grid.Cells.Single(c => c.Config.LearningRate == lr && c.Config.Seed == seed).CellId].BestTestAccuracy = bestTest + seed * 0.1;
            }

        var row = ResultsSelector.Select(spec, new SelectionSpec(SelectionMetric.TestAccuracy, SelectionPoint.Best), grid, ledger).Single();

        Assert.Equal(0.01, row.BestLearningRate);
        Assert.Equal([0.35, 0.65], row.Rates!.Select(r => Math.Round(r.Score!.Value, 12)));

        var (spec2, grid2, none) = Sweep(0.1, 0.01);
        foreach (var cell in grid2.Cells) none[cell.CellId].State = CellState.Diverged;
        var empty = ResultsSelector.Select(spec2, grid2, none).Single();
        Assert.Null(empty.BestLearningRate);
        Assert.All(empty.Rates!, r => Assert.Equal(RateOutcome.Diverged, r.Outcome));
    }

    [Theory]
    [InlineData(new[] { 0.1, 0.01, 0.001 })]
    [InlineData(new[] { 0.001, 0.01, 0.1 })]
    public void Select_LearningRatesThatTie_AreToldApartByTrainLoss_NotByTheSpecsOrder_AndNamed(double[] lrs)
    {
        // A method stuck at chance scores 0.1 at every learning rate: the spec's order of them decided, unsaid.
        var (spec, grid, ledger) = Sweep(lrs);
        foreach (var (lr, loss) in new[] { (0.1, 2.31), (0.01, 2.30), (0.001, 2.32) })
            for (var seed = 0; seed < 2; seed++)
            {
                Finish(grid, ledger, lr, seed, 0.1, 0.1);
                ledger[grid.Cells.Single(c => c.Config.LearningRate == lr && c.Config.Seed == seed).CellId].FinalTrainLoss = loss;
            }

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Equal(0.01, row.BestLearningRate);
        Assert.False(row.AtGridEdge);
        Assert.Equal(lrs[0] == 0.1 ? "tied with lr 1e-1, 1e-3; the lowest final train loss chose" : "tied with lr 1e-3, 1e-1; the lowest final train loss chose",
            row.Note);
    }

    [Fact]
    public void Select_ATieOfTheGridsEdgesOnly_IsStillFlaggedAsAtTheEdge()
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.01, 0.001);
        Finish(grid, ledger, 0.1, 0, 0.9, 0.8); Finish(grid, ledger, 0.1, 1, 0.9, 0.8);
        Finish(grid, ledger, 0.01, 0, 0.5, 0.4); Finish(grid, ledger, 0.01, 1, 0.5, 0.4);
        Finish(grid, ledger, 0.001, 0, 0.9, 0.7); Finish(grid, ledger, 0.001, 1, 0.9, 0.7);

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Equal(0.001, row.BestLearningRate);   // no train losses: the smaller learning rate
        Assert.True(row.AtGridEdge);
        Assert.Equal("tied with lr 1e-1; the smallest learning rate chose", row.Note);
    }

    [Fact]
    public void Select_WithOneSeed_HasNoSpread()
    {
        var spec = TestSpecs.Small("one", [0.1, 0.01], seeds: [0]);
        var grid = SweepGrid.Expand(spec);
        var ledger = grid.Cells.ToDictionary(c => c.CellId, _ => new CellEntry());
        Finish(grid, ledger, 0.1, 0, 0.5, 0.4);
        Finish(grid, ledger, 0.01, 0, 0.6, 0.5);

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Equal(0.01, row.BestLearningRate);
        Assert.Null(row.TrainAccuracyStd);
        Assert.Null(row.TestAccuracyStd);
    }

    [Fact]
    public void Select_WinnerAtSmallestLr_IsFlaggedAndDivergedLrIsExcluded()
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.01);
        Finish(grid, ledger, 0.1, 0, 0.99, 0.9); Finish(grid, ledger, 0.1, 1, double.NaN, double.NaN, CellState.Diverged);
        Finish(grid, ledger, 0.01, 0, 0.5, 0.4); Finish(grid, ledger, 0.01, 1, 0.6, 0.5);

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Equal(0.01, row.BestLearningRate);
        Assert.True(row.AtGridEdge);
        Assert.Contains("diverged", row.Note);
    }

    [Fact]
    public void Select_UnderAnotherRule_RanksTheSameLedgerByIt()
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.01);   // the spec's rule: final train accuracy
        Finish(grid, ledger, 0.1, 0, 0.9, 0.3); Finish(grid, ledger, 0.1, 1, 0.9, 0.3);
        Finish(grid, ledger, 0.01, 0, 0.5, 0.6); Finish(grid, ledger, 0.01, 1, 0.5, 0.7);

        var bySpec = ResultsSelector.Select(spec, grid, ledger).Single();
        var byTest = ResultsSelector.Select(spec, new SelectionSpec(SelectionMetric.TestAccuracy), grid, ledger).Single();

        Assert.Equal(0.1, bySpec.BestLearningRate);
        Assert.Equal(0.01, byTest.BestLearningRate);
        Assert.Equal(0.65, byTest.TestAccuracy!.Value, 12);
        Assert.Equal(0.5, byTest.TrainAccuracy!.Value, 12);
    }

    [Theory]
    [InlineData(SelectionMetric.TrainAccuracy, 0.8, 0.4)]   // best train: epochs 2 and 3 tie, the earlier counts; test there: 0.4
    [InlineData(SelectionMetric.TestAccuracy, 0.5, 0.6)]    // best test: epoch 1; train there: 0.5
    public void Select_AtBest_ReportsBothAccuraciesOfTheEpochBestOnTheMetric(SelectionMetric metric, double train, double test)
    {
        var spec = TestSpecs.Small("r", [0.1]) with { Selection = new SelectionSpec(metric, SelectionPoint.Best) };
        var grid = SweepGrid.Expand(spec);
        var id = grid.Cells.Single().CellId;
        EpochRecord Epoch(int epoch, double? trainAcc, double? testAcc) =>
            new(id, epoch, 1.0, trainAcc, testAcc, null, null, null, 1, 0, 100, false);
        var entry = new CellEntry { State = CellState.Completed };
        CellSummaries.Summarise(entry, [Epoch(1, 0.5, 0.6), Epoch(2, 0.8, 0.4), Epoch(3, 0.8, 0.5), Epoch(4, null, null), Epoch(5, 0.7, 0.45)]);

        var row = ResultsSelector.Select(spec, grid, new Dictionary<string, CellEntry> { [id] = entry }).Single();

        Assert.Equal(train, row.TrainAccuracy!.Value, 12);
        Assert.Equal(test, row.TestAccuracy!.Value, 12);
    }

    [Fact]
    public void Select_NothingFinished_GivesAnEmptyRowWithANote()
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.01);

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Null(row.BestLearningRate);
        Assert.Equal(0, row.CellsFinished);
        Assert.Equal("no learning rate has finished yet", row.Note);
    }

    [Theory]
    [InlineData(CellState.Failed)]
    [InlineData(CellState.Cancelled)]
    public void Select_FailedLr_IsNotComparedAndTheNoteSaysSo(CellState state)
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.01, 0.001);
        Finish(grid, ledger, 0.1, 0, 0.99, 0.9); Finish(grid, ledger, 0.1, 1, 0.99, 0.9, state);   // would win
        Finish(grid, ledger, 0.01, 0, 0.5, 0.4); Finish(grid, ledger, 0.01, 1, 0.6, 0.5);
        Finish(grid, ledger, 0.001, 0, 0.2, 0.1); Finish(grid, ledger, 0.001, 1, 0.2, 0.1);

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Equal(0.01, row.BestLearningRate);
        Assert.Equal("1 learning rate failed or cancelled, not compared (resuming the sweep retries them)", row.Note);
    }

    /// <summary>A learning rate that diverged while another still trains: the note once said only "no learning rate has
    /// finished yet", hiding a finished result.</summary>
    [Fact]
    public void Select_NoWinnerYet_SaysWhichDivergedAndWhatStillRuns()
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.01);
        Finish(grid, ledger, 0.1, 0, 0.1, 0.1, CellState.Diverged); Finish(grid, ledger, 0.1, 1, 0.1, 0.1, CellState.Diverged);

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Null(row.BestLearningRate);
        Assert.Equal("no learning rate has completed yet; 1 learning rate diverged; 2 cells still running or queued", row.Note);
    }

    [Fact]
    public void Select_OnlyFailedLrs_SaysNoneCompletedAndWhy()
    {
        var (spec, grid, ledger) = Sweep(0.1);
        Finish(grid, ledger, 0.1, 0, 0.5, 0.4, CellState.Failed); Finish(grid, ledger, 0.1, 1, 0.5, 0.4, CellState.Failed);

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Null(row.BestLearningRate);
        Assert.Equal("no learning rate completed; 1 learning rate failed or cancelled, not compared (resuming the sweep retries them)", row.Note);
    }

    [Fact]
    public void Select_NamesTheRunnerUpAndTheLeadOverIt_NotADivergedRate_AndNoneWhereNoOtherCompeted()
    {
        var (spec, grid, ledger) = Sweep(0.1, 0.01, 0.001);
        Finish(grid, ledger, 0.1, 0, 0.99, 0.9); Finish(grid, ledger, 0.1, 1, double.NaN, double.NaN, CellState.Diverged);
        Finish(grid, ledger, 0.01, 0, 0.8, 0.7); Finish(grid, ledger, 0.01, 1, 0.7, 0.6);     // mean 0.75: best
        Finish(grid, ledger, 0.001, 0, 0.72, 0.7); Finish(grid, ledger, 0.001, 1, 0.7, 0.6);  // mean 0.71: next

        var row = ResultsSelector.Select(spec, grid, ledger).Single();

        Assert.Equal(0.01, row.BestLearningRate);
        Assert.Equal(0.001, row.RunnerUpLearningRate);
        Assert.Equal(0.04, row.Lead!.Value, 12);

        // Under another metric the lead is that metric's: 1e-2 and 1e-3 tie on test accuracy (0.65 each).
        var byTest = ResultsSelector.Select(spec, new SelectionSpec(SelectionMetric.TestAccuracy), grid, ledger).Single();
        Assert.Equal(0, byTest.Lead!.Value, 12);
        Assert.Contains("tied with lr", byTest.Note);

        // Alone in the comparison (the others diverged or still run), a winner leads nothing.
        var (spec2, grid2, ledger2) = Sweep(0.1, 0.01);
        Finish(grid2, ledger2, 0.01, 0, 0.8, 0.7); Finish(grid2, ledger2, 0.01, 1, 0.7, 0.6);
        Finish(grid2, ledger2, 0.1, 0, double.NaN, double.NaN, CellState.Diverged);
        var alone = ResultsSelector.Select(spec2, grid2, ledger2).Single();
        Assert.Equal(0.01, alone.BestLearningRate);
        Assert.Null(alone.RunnerUpLearningRate);
        Assert.Null(alone.Lead);
    }
}
