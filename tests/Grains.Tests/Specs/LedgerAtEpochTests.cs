using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>The ledger as of an epoch, which <c>results --at N</c> ranks: each cell as if the sweep had stopped at N.</summary>
public sealed class LedgerAtEpochTests
{
    private static readonly CellConfig Config = SweepGrid.Expand(TestSpecs.Small("l", [0.1])).Cells[0].Config;

    /// <summary>Epochs 1..<paramref name="last"/>, evaluated every <paramref name="every"/>: train accuracy epoch/100, test
    /// accuracy epoch/200, loss 1/epoch; the last one diverged when asked.</summary>
    private static CellCurve Curve(string id, CellState state, int last, int every = 1, bool diverged = false) =>
        new(id, Config, state, Enumerable.Range(1, last).Select(e =>
        {
            var lost = diverged && e == last;
            var evaluated = e % every == 0 && !lost;
            return new EpochRecord(id, e, lost ? double.NaN : 1.0 / e, evaluated ? e / 100.0 : null, evaluated ? e / 200.0 : null,
                null, null, null, 1, 0, 60_000, lost);
        }).ToList());

    [Fact]
    public void ACellPastTheEpoch_CountsAsCompletedThere_WithItsAccuraciesAndLossAtThatEpoch()
    {
        var ledger = Curves.LedgerAt([Curve("c", CellState.Completed, last: 10)], epoch: 4);

        var c = ledger["c"];
        Assert.Equal(CellState.Completed, c.State);
        Assert.Equal(4, c.LastEpoch);
        Assert.Equal(0.04, c.FinalTrainAccuracy);
        Assert.Equal(0.02, c.FinalTestAccuracy);
        Assert.Equal(0.04, c.BestTrainAccuracy);
        Assert.Equal(0.25, c.FinalTrainLoss);
    }

    [Fact]
    public void BetweenEvaluations_TheAccuraciesAreTheEvaluationsBefore_AndTheLossTheEpochsOwn()
    {
        var c = Curves.LedgerAt([Curve("c", CellState.Completed, last: 20, every: 5)], epoch: 7)["c"];

        Assert.Equal(CellState.Completed, c.State);
        Assert.Equal(0.05, c.FinalTrainAccuracy);
        Assert.Equal(1.0 / 7, c.FinalTrainLoss);
    }

    [Fact]
    public void ADivergenceOrAFailureAfterTheEpoch_DoesNotReachBack_OneAtOrBeforeItDoes()
    {
        var ledger = Curves.LedgerAt(
        [
            Curve("later", CellState.Diverged, last: 8, diverged: true),
            Curve("failed", CellState.Failed, last: 6),
            Curve("cancelled", CellState.Cancelled, last: 5),
            Curve("at", CellState.Diverged, last: 5, diverged: true),
            Curve("before", CellState.Diverged, last: 3, diverged: true),
        ], epoch: 5);

        Assert.Equal(CellState.Completed, ledger["later"].State);
        Assert.Equal(0.05, ledger["later"].FinalTrainAccuracy);
        Assert.Equal(CellState.Completed, ledger["failed"].State);
        Assert.Equal(CellState.Completed, ledger["cancelled"].State);
        Assert.Equal(CellState.Diverged, ledger["at"].State);
        Assert.Equal(0.04, ledger["at"].FinalTrainAccuracy);   // the diverged epoch does not score
        Assert.Equal(CellState.Diverged, ledger["before"].State);
    }

    [Theory]
    [InlineData(CellState.Running)]
    [InlineData(CellState.Queued)]
    [InlineData(CellState.Failed)]
    [InlineData(CellState.Cancelled)]
    public void ACellShortOfTheEpoch_KeepsItsState_SoItsLearningRateDoesNotCompete(CellState state)
    {
        var c = Curves.LedgerAt([Curve("short", state, last: state == CellState.Queued ? 0 : 3)], epoch: 5)["short"];

        Assert.Equal(state, c.State);
    }

    [Fact]
    public void RankedAtAnEpoch_TheSelectorPicksTheLearningRateThatLedThere_NotAtTheEnd()
    {
        // 1e-1 leads until epoch 4 and then falls back; 1e-2 climbs past it.
        var spec = TestSpecs.Small("r", [0.1, 0.01], epochs: 8);
        var grid = SweepGrid.Expand(spec);
        double[][] train = [[0.5, 0.6, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8], [0.2, 0.3, 0.4, 0.5, 0.7, 0.85, 0.9, 0.95]];
        var curves = grid.Cells.Select((cell, i) => new CellCurve(cell.CellId, cell.Config, CellState.Completed,
            train[i].Select((a, e) => new EpochRecord(cell.CellId, e + 1, 1, a, a - 0.1, null, null, null, 1, 0, 100, false)).ToList())).ToList();

        var atFour = ResultsSelector.Select(spec, SelectionSpec.AtEpoch(SelectionMetric.TrainAccuracy, 4), grid, Curves.LedgerAt(curves, 4)).Single();
        var atEnd = ResultsSelector.Select(spec, SelectionSpec.AtEpoch(SelectionMetric.TrainAccuracy, 8), grid, Curves.LedgerAt(curves, 8)).Single();

        Assert.Equal(0.1, atFour.BestLearningRate);
        Assert.Equal(0.8, atFour.TrainAccuracy!.Value, 12);
        Assert.Equal(0.7, atFour.TestAccuracy!.Value, 12);
        Assert.Equal(0.01, atEnd.BestLearningRate);
        Assert.Equal(0.95, atEnd.TrainAccuracy!.Value, 12);
    }
}
