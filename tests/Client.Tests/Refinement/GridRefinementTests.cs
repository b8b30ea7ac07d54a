using GradGuessCluster.Client.Refinement;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Refinement;

public sealed class GridRefinementTests
{
    private static readonly double[] Decades = [1e-2, 1e-3, 1e-4, 1e-5];

    /// <summary>A completed row picking <paramref name="pick"/>, every other rate scored lower.</summary>
    private static ResultRow Row(double[] grid, double pick, string method = "wt") => new(method, "adamw", pick, 0.9, 0.8, false, grid.Length, grid.Length,
        null, Rates: [.. grid.Select(lr => new RateScore(lr, RateOutcome.Scored, lr == pick ? 0.9 : 0.5))]);

    /// <summary>A grid of these rates over the methods the tests' rows use, one optimizer, one seed.</summary>
    private static SweepSpec Spec(IReadOnlyList<double> grid, params RowLearningRates[] rowRates) =>
        new("t", new DataSpec(DataSpec.SyntheticSet), new ModelSpec(), ["wt", "downstream", "backprop", "directional"], ["adamw"], [.. grid], [0], 1,
            RowRates: rowRates.Length > 0 ? rowRates : null);

    private static (double Lr, string Where)[] Proposed(double[] grid, ResultRow row, double resolution = GridRefinement.DefaultResolution, bool edgesOnly = false) =>
        [.. GridRefinement.Propose(Spec(grid), [row], resolution, edgesOnly).Single().Rates.Select(p => (p.LearningRate, p.Where))];

    [Fact]
    public void AnInteriorPick_GetsTheRoundedGeometricMiddleTowardEachNeighbour()
    {
        Assert.Equal([(3e-4, "toward 1e-4"), (3e-3, "toward 1e-2")], Proposed(Decades, Row(Decades, 1e-3)));
    }

    [Fact]
    public void APickAtAnEdge_GetsTheNextRatePastIt_AtTheGridsOwnStepThere_AndTheMiddleInward()
    {
        Assert.Equal([(1e-1, "past the top edge"), (3e-3, "toward 1e-3")], Proposed(Decades, Row(Decades, 1e-2)));
        Assert.Equal([(1e-6, "past the bottom edge"), (3e-5, "toward 1e-4")], Proposed(Decades, Row(Decades, 1e-5)));
        double[] threes = [1e-3, 3e-3, 1e-2, 3e-2];
        Assert.Equal((9e-2, "past the top edge"), Proposed(threes, Row(threes, 3e-2))[0]);      // 3e-2 × 3, the grid's step at its top
        Assert.Equal((3e-4, "past the bottom edge"), Proposed(threes, Row(threes, 1e-3))[0]);   // 1e-3 / 3, rounded
    }

    [Fact]
    public void AMiddleTowardARateThatDiverged_SaysSo()
    {
        var row = Row(Decades, 1e-3) with { Rates = [.. Decades.Select(lr => lr == 1e-2 ? new RateScore(lr, RateOutcome.Diverged) : new RateScore(lr, RateOutcome.Scored, 0.5))] };
        Assert.Equal([(3e-4, "toward 1e-4"), (3e-3, "toward 1e-2, which diverged")], Proposed(Decades, row));
    }

    [Fact]
    public void ASingleRateGrid_GetsADecadeEachWay()
    {
        double[] one = [1e-3];
        Assert.Equal([(1e-2, "past the top edge"), (1e-4, "past the bottom edge")], Proposed(one, Row(one, 1e-3)));
    }

    [Fact]
    public void NeighboursWithinTheResolution_AreNotSplit_AndAFinerResolutionSplitsThem()
    {
        double[] close = [1e-3, 2e-3, 4e-3];
        Assert.Empty(Proposed(close, Row(close, 2e-3)));
        Assert.Contains("neighbours within 2×", GridRefinement.Propose(Spec(close), [Row(close, 2e-3)], 2, false).Single().Why);
        Assert.Equal([(1.4e-3, "toward 1e-3"), (3e-3, "toward 4e-3")], Proposed(close, Row(close, 2e-3), resolution: 1.5));
    }

    [Fact]
    public void EdgesOnly_AddsNoMiddles()
    {
        Assert.Empty(Proposed(Decades, Row(Decades, 1e-3), edgesOnly: true));
        Assert.Equal([(1e-1, "past the top edge")], Proposed(Decades, Row(Decades, 1e-2), edgesOnly: true));
    }

    [Fact]
    public void ARowThatDivergedAtEveryRate_GetsOneBelowTheGrid_AndARowStillTrainingOrWithAFailedRate_Nothing()
    {
        var diverged = new ResultRow("directional", "sgd", null, null, null, false, 4, 4, "all learning rates diverged",
            Rates: [.. Decades.Select(lr => new RateScore(lr, RateOutcome.Diverged))]);
        Assert.Equal([(1e-6, "below the grid")], Proposed(Decades, diverged));

        var pending = Row(Decades, 1e-3) with { Rates = [.. Decades.Select(lr => new RateScore(lr, lr == 1e-5 ? RateOutcome.Pending : RateOutcome.Scored, 0.5))] };
        var proposal = GridRefinement.Propose(Spec(Decades), [pending], 2, false).Single();
        Assert.Empty(proposal.Rates);
        Assert.Equal("waiting: 1 learning rate still training", proposal.Why);

        var failed = Row(Decades, 1e-3) with { Rates = [.. Decades.Select(lr => new RateScore(lr, lr == 1e-2 ? RateOutcome.Failed : RateOutcome.Scored, 0.5))] };
        Assert.Equal("waiting: 1 learning rate failed or cancelled (resume the sweep to retry them)",
            GridRefinement.Propose(Spec(Decades), [failed], 2, false).Single().Why);
    }

    [Fact]
    public void Apply_AddsEachRowsRatesToItsOwnRowRates_NoneItTrainsAlready_AsAFloat32Either()
    {
        var spec = Spec(Decades);
        var rows = GridRefinement.Propose(spec, [Row(Decades, 1e-3, "wt"), Row(Decades, 1e-3, "downstream"), Row(Decades, 1e-2, "backprop")], 2, false);
        var refined = GridRefinement.Apply(spec, rows);
        Assert.Equal(["wt: 3e-4 3e-3", "downstream: 3e-4 3e-3", "backprop: 3e-3 1e-1"],
            refined.Spec.RowRatesOrEmpty.Select(r => $"{r.Method}: {string.Join(" ", r.LearningRates.Select(LearningRateText.Of))}"));
        Assert.Equal(6, refined.CellsAdded);   // a row's rates cost cells in that row only: 4 rows × 4 + 6, not 4 × (4 + 3)
        Assert.Equal(22, refined.Spec.CellCount);
        Assert.Empty(refined.LeftOut);

        // A row's own rates join its grid: wt, holding 3e-3, splits 1e-3–3e-3 at 2e-3 and appends after it; a new row comes last.
        var grown = Spec(Decades, new RowLearningRates("wt", "adamw", [3e-3]));
        var again = GridRefinement.Apply(grown, GridRefinement.Propose(grown, [Row([.. Decades, 3e-3], 1e-3, "wt"), Row(Decades, 1e-2, "backprop")], 2, false));
        Assert.Equal(["wt: 3e-3 3e-4 2e-3", "backprop: 3e-3 1e-1"],
            again.Spec.RowRatesOrEmpty.Select(r => $"{r.Method}: {string.Join(" ", r.LearningRates.Select(LearningRateText.Of))}"));

        // A proposal the row holds as a float32 already is no new cell.
        var held = GridRefinement.Apply(grown, [new RowProposal("wt", "adamw", 1e-3, [new RateProposal(3.0000000001e-3, "toward 1e-2"), new RateProposal(1e-4, "x")], null)]);
        Assert.Empty(held.Added);
        Assert.Equal(0, held.CellsAdded);
    }

    [Fact]
    public void ARateEveryRowHolds_MovesToLearningRates_InTheGridsOrder_AndTheCellsAreTheSame()
    {
        // Every row picks 1e-2 at the top edge: 1e-1 for all, and 3e-3 toward 1e-3, which makes them the grid's.
        var spec = Spec(Decades, new RowLearningRates("directional", "adamw", [3e-4]));
        var rows = GridRefinement.Propose(spec, spec.Methods.Select(m => Row(m == "directional" ? [.. Decades, 3e-4] : Decades, 1e-2, m)), 2, false);
        var refined = GridRefinement.Apply(spec, rows);
        Assert.Equal([1e-1, 3e-3], refined.ToGrid);
        Assert.Equal([1e-1, 1e-2, 3e-3, 1e-3, 1e-4, 1e-5], refined.Spec.LearningRates);   // descending, as the grid was
        // directional's own 3e-4, held by no other row, stays its own.
        Assert.Equal(["directional: 3e-4"], refined.Spec.RowRatesOrEmpty.Select(r => $"{r.Method}: {string.Join(" ", r.LearningRates.Select(LearningRateText.Of))}"));
        Assert.Equal(SpecPacks.Cells(refined.Spec).ToHashSet(), SpecPacks.Cells(spec with
        {
            RowRates = [.. spec.Methods.Select(m => new RowLearningRates(m, "adamw", [.. refined.Spec.RatesFor(m, "adamw").Except(spec.LearningRates)]))],
        }).ToHashSet());
        Assert.Empty(SpecExtension.Obstacles(spec, refined.Spec));   // an extension of the stored spec
        Assert.Equal(4 * 2, refined.CellsAdded);   // 1e-1 and 3e-3 in four rows

        // A grid in no order keeps its order and gets the moved rates at its end.
        var shuffled = Spec([1e-3, 1e-2, 1e-4]);
        var all = GridRefinement.Apply(shuffled, shuffled.Methods.Select(m => new RowProposal(m, "adamw", 1e-2, [new RateProposal(1e-1, "x")], null)));
        Assert.Equal([1e-3, 1e-2, 1e-4, 1e-1], all.Spec.LearningRates);
        Assert.Null(all.Spec.RowRates);
    }

    [Fact]
    public void APicksRowRates_JoinItsGrid_ForTheNextProposal()
    {
        // wt's own 3e-3 sits between its pick 1e-3 and 1e-2: the middle toward it is 2e-3, no longer 3e-3.
        var spec = Spec(Decades, new RowLearningRates("wt", "adamw", [3e-3]));
        double[] rates = [.. Decades, 3e-3];
        var row = Row(rates, 1e-3);
        Assert.Equal([3e-4, 2e-3], GridRefinement.Propose(spec, [row], 2, false).Single().Rates.Select(p => p.LearningRate));
        Assert.Equal([3e-3, 3e-4], GridRefinement.Propose(Spec(Decades), [Row(Decades, 1e-3)], 2, false).Single().Rates.Select(p => p.LearningRate).OrderDescending());
    }

    [Fact]
    public void APerRowCap_KeepsTheEdgeFirst_ThenTheMiddleTowardTheBetterNeighbour_AndNamesTheRest()
    {
        var spec = Spec(Decades);
        // backprop picks 1e-2 at the top edge: past it first. wt picks 1e-3, and 1e-4 scores better than 1e-2.
        var wt = Row(Decades, 1e-3) with { Rates = [.. Decades.Select(lr => new RateScore(lr, RateOutcome.Scored, lr switch { 1e-3 => 0.9, 1e-4 => 0.8, _ => 0.5 }))] };
        var rows = GridRefinement.Propose(spec, [wt, Row(Decades, 1e-2, "backprop")], 2, false);
        var refined = GridRefinement.Apply(spec, rows, mostPerRow: 1);
        Assert.Equal(["wt 3e-4", "backprop 1e-1"], refined.Added.Select(r => $"{r.Method} {LearningRateText.Of(r.LearningRates.Single())}"));
        Assert.Equal(["wt 3e-3", "backprop 3e-3"], refined.LeftOut.Select(r => $"{r.Method} {LearningRateText.Of(r.LearningRates.Single())}"));
        Assert.Equal(GridRefinement.Apply(spec, rows).Spec.RowRatesOrEmpty.Sum(r => r.LearningRates.Count),
            GridRefinement.Apply(spec, rows, mostPerRow: 100).Spec.RowRatesOrEmpty.Sum(r => r.LearningRates.Count));
    }

    [Fact]
    public void RepeatedRefinement_ClosesInOnTheOptimum_AndStops()
    {
        // A response peaked at 2.2e-3: each round adds what refine proposes and the pick follows the best rate.
        const double optimum = 2.2e-3;
        var grid = new List<double>(Decades);
        for (int round = 0; ; round++)
        {
            Assert.True(round < 10, $"did not stop: {string.Join(", ", grid)}");
            var pick = grid.MinBy(lr => Math.Abs(Math.Log(lr / optimum)))!;
            var row = new ResultRow("wt", "adamw", pick, 0.9, 0.8, false, grid.Count, grid.Count, null,
                Rates: [.. grid.Select(lr => new RateScore(lr, RateOutcome.Scored, -Math.Abs(Math.Log(lr / optimum))))]);
            var added = GridRefinement.Apply(Spec(grid), GridRefinement.Propose(Spec(grid), [row], 2, false)).Added.SelectMany(r => r.LearningRates).ToList();
            if (added.Count == 0)
            {
                var sorted = grid.Order().ToList();
                int i = sorted.IndexOf(pick);
                Assert.True(sorted[i + 1] / pick <= 2 && pick / sorted[i - 1] <= 2, $"stopped at {pick} in {string.Join(", ", sorted)}");
                Assert.InRange(pick / optimum, 1 / Math.Sqrt(2), Math.Sqrt(2));
                return;
            }
            grid.AddRange(added);
        }
    }

    [Theory]
    [InlineData(1e-3, 1e-2, 3e-3)]
    [InlineData(1e-3, 3e-3, 2e-3)]
    [InlineData(1e-3, 2e-3, 1.4e-3)]
    [InlineData(1e-2, 1e-3, 3e-3)]
    [InlineData(1e-3, 1.9e-3, 1.4e-3)]   // not 1e-3 again, nor 2e-3 beside 1.9e-3
    public void Between_IsTheMiddleInTheFewestDigitsThatStayInside(double a, double b, double expected) =>
        Assert.Equal(expected, RoundRate.Between(a, b));

    [Fact]
    public void NoRate_WhereFloat32HasNoneBetween_OrPastItsRange()
    {
        Assert.Null(RoundRate.Between(1.0, MathF.BitIncrement(1f)));
        double[] huge = [3e38];
        Assert.Equal([(3e37, "past the bottom edge")], Proposed(huge, Row(huge, 3e38)));   // 3e39 is no float32
    }
}
