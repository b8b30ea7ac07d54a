using GradGuessCluster.Client.Refinement;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Refinement;

public sealed class GridRefinementTests
{
    private static readonly double[] Decades = [1e-2, 1e-3, 1e-4, 1e-5];

    /// <summary>A completed row picking <paramref name="pick"/>, every other rate scored lower.</summary>
    private static ResultRow Row(double[] grid, double pick, string method = "wt") => new(method, "adamw", pick, 0.9, 0.8, false, grid.Length, grid.Length,
        null, Rates: [.. grid.Select(lr => new RateScore(lr, RateOutcome.Scored, lr == pick ? 0.9 : 0.5))]);

    private static (double Lr, string Where)[] Proposed(double[] grid, ResultRow row, double resolution = GridRefinement.DefaultResolution, bool edgesOnly = false) =>
        [.. GridRefinement.Propose(grid, [row], resolution, edgesOnly).Single().Rates.Select(p => (p.LearningRate, p.Where))];

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
        Assert.Contains("neighbours within 2×", GridRefinement.Propose(close, [Row(close, 2e-3)], 2, false).Single().Why);
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
        var proposal = GridRefinement.Propose(Decades, [pending], 2, false).Single();
        Assert.Empty(proposal.Rates);
        Assert.Equal("waiting: 1 learning rate(s) still training", proposal.Why);

        var failed = Row(Decades, 1e-3) with { Rates = [.. Decades.Select(lr => new RateScore(lr, lr == 1e-2 ? RateOutcome.Failed : RateOutcome.Scored, 0.5))] };
        Assert.Equal("waiting: 1 learning rate(s) failed or cancelled (resume the sweep to retry them)",
            GridRefinement.Propose(Decades, [failed], 2, false).Single().Why);
    }

    [Fact]
    public void Added_HoldsEachRateOnce_Ascending_AndNoneTheGridHolds_AsAFloat32Either()
    {
        var rows = GridRefinement.Propose(Decades, [Row(Decades, 1e-3, "wt"), Row(Decades, 1e-3, "downstream"), Row(Decades, 1e-2, "backprop")], 2, false);
        Assert.Equal([3e-4, 3e-3, 1e-1], GridRefinement.Added(Decades, rows));   // 3e-3 from all three rows
        Assert.Equal([1e-1], GridRefinement.Added([.. Decades, 3.0000000001e-4, 3e-3], rows));   // held already, the first as a float32
    }

    [Fact]
    public void Limit_KeepsTheRatesMostRowsAskFor_TheSmallerOfATie_AndNamesTheRest()
    {
        // 3e-3: three rows; 3e-4: two; 1e-1 (backprop's edge), 1e-6 and 3e-5 (directional's edge and middle): one each.
        var rows = GridRefinement.Propose(Decades,
            [Row(Decades, 1e-3, "wt"), Row(Decades, 1e-3, "downstream"), Row(Decades, 1e-2, "backprop"), Row(Decades, 1e-5, "directional")], 2, false);
        var (added, leftOut) = GridRefinement.Limit(Decades, rows, 3);
        Assert.Equal([1e-6, 3e-4, 3e-3], added);
        Assert.Equal([(3e-5, 1), (1e-1, 1)], leftOut);
        Assert.Equal(GridRefinement.Added(Decades, rows), GridRefinement.Limit(Decades, rows, 100).Added);
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
            var added = GridRefinement.Added(grid, GridRefinement.Propose(grid, [row], 2, false));
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
