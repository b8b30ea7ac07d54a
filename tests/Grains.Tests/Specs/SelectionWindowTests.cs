using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary><c>selection.window</c>: learning rates ranked by each curve's mean over its last evaluations, so that one
/// lucky evaluation of a noisy curve does not pick the rate.</summary>
public sealed class SelectionWindowTests
{
    private const string Head = "name: w\ndata: synthetic\nmethods: [backprop]\noptimizers: [sgd]\nlearningRates: [0.1, 0.01]\nepochs: 30\n";

    [Fact]
    public void AWindowIsRead_AndAWindowOfOneIsTheSpecWithout_SameCanonicalTextAndCellIds()
    {
        var windowed = SweepSpecParser.Parse(Head + "selection: { metric: testAccuracy, window: 10 }\n");
        var one = SweepSpecParser.Parse(Head + "selection: { window: 1 }\n");
        var none = SweepSpecParser.Parse(Head);

        Assert.Equal(new SelectionSpec(SelectionMetric.TestAccuracy, Window: 10), windowed.Selection);
        Assert.Equal(10, windowed.SelectionOrDefault.Evaluations);
        Assert.Equal(none.SelectionOrDefault, one.SelectionOrDefault);
        Assert.Equal(SpecCanonical.Flatten(none), SpecCanonical.Flatten(one));
        Assert.DoesNotContain("selection.window", SpecCanonical.Flatten(none).Keys);
        // The window ranks what the cells train; it trains nothing, so the cells keep their ids.
        Assert.Equal(SweepGrid.Expand(none).Cells.Select(c => c.CellId), SweepGrid.Expand(windowed).Cells.Select(c => c.CellId));
    }

    [Fact]
    public void ResubmittedWithAnotherWindow_TheDifferenceIsNamed()
    {
        var stored = SweepSpecParser.Parse(Head);
        var submitted = SweepSpecParser.Parse(Head + "selection: { window: 10 }\n");

        var error = Assert.Single(SpecCanonical.Differences(stored, submitted));
        Assert.Equal(("selection.window", "stored 1 (unset), submitted 10"), (error.Path, error.Message));
    }

    [Theory]
    [InlineData(30, 1, 30, 30)]
    [InlineData(25, 10, 25, 3)]    // 10, 20 and the last, 25
    [InlineData(25, 10, 20, 2)]
    [InlineData(30, 10, 9, 0)]
    [InlineData(5, 10, 5, 1)]      // only the last
    public void EvaluationsUpTo_CountsEveryNthEpochAndTheLast(int epochs, int every, int epoch, int expected)
    {
        var spec = TestSpecs.Small("e", [0.1], epochs) with { EvaluateEvery = every };
        Assert.Equal(expected, spec.EvaluationsUpTo(epoch));
        // A window as long as the evaluations there reads; one longer is refused.
        if (expected > 0) Assert.Null(SelectionWindow.Problem(spec, SelectionPoint.Epoch, epoch, expected));
        Assert.NotNull(SelectionWindow.Problem(spec, SelectionPoint.Epoch, epoch, expected + 1));
    }

    /// <summary>Train accuracies per evaluated epoch (test 0.1 below, loss 1 − train), one cell per learning rate.</summary>
    private static (SweepSpec Spec, SweepGrid Grid, List<CellCurve> Curves) Sweep(double[][] train)
    {
        var spec = TestSpecs.Small("r", [0.1, 0.01], epochs: train[0].Length);
        var grid = SweepGrid.Expand(spec);
        var curves = grid.Cells.Select((cell, i) => new CellCurve(cell.CellId, cell.Config, CellState.Completed,
            train[i].Select((a, e) => new EpochRecord(cell.CellId, e + 1, 1 - a, a, a - 0.1, null, null, null, 1, 0, 100, false)).ToList())).ToList();
        return (spec, grid, curves);
    }

    private static Dictionary<string, CellEntry> Ledger(List<CellCurve> curves, int epoch, int window) =>
        curves.ToDictionary(c => c.CellId, c => LedgerAtEpoch.Entry(c, epoch, window));

    [Fact]
    public void OverAWindow_TheSteadyLearningRateBeatsTheOneWithALuckyLastEvaluation()
    {
        // 1e-1 swings between 0.70 and 0.90 and ends on a high; 1e-2 holds 0.85.
        var (spec, grid, curves) = Sweep([[0.7, 0.9, 0.7, 0.9, 0.7, 0.9], [0.85, 0.85, 0.85, 0.85, 0.85, 0.85]]);

        var final = ResultsSelector.Select(spec, new SelectionSpec(), grid, Ledger(curves, 6, 1)).Single();
        var windowed = ResultsSelector.Select(spec, new SelectionSpec(Window: 4), grid, Ledger(curves, 6, 4)).Single();

        Assert.Equal(0.1, final.BestLearningRate);
        Assert.Equal(0.9, final.TrainAccuracy!.Value, 12);
        Assert.Equal(0.01, windowed.BestLearningRate);
        Assert.Equal(0.85, windowed.TrainAccuracy!.Value, 12);
        Assert.Equal(0.75, windowed.TestAccuracy!.Value, 12);
    }

    [Fact]
    public void TheWindowEndsAtTheEpochRead_AndTakesOnlyEvaluatedEpochs_TheLossTheirs()
    {
        var (_, _, curves) = Sweep([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]]);
        var c = curves[0];
        // Evaluated every other epoch: epochs 2, 4, 6 score; the window of 2 ending at epoch 5 holds 2 and 4.
        var sparse = c with { Records = c.Records.Select(r => r.Epoch % 2 == 0 ? r : r with { TrainAccuracy = null, TestAccuracy = null }).ToList() };

        var entry = LedgerAtEpoch.Entry(sparse, epoch: 5, window: 2);

        Assert.Equal(CellState.Completed, entry.State);
        Assert.Equal(0.3, entry.FinalTrainAccuracy!.Value, 12);
        Assert.Equal(0.2, entry.FinalTestAccuracy!.Value, 12);
        Assert.Equal(0.7, entry.FinalTrainLoss!.Value, 12);
        Assert.Equal(0.3, entry.BestTrainAccuracy!.Value, 12);   // the best mean of two consecutive evaluations, 2 and 4
    }

    [Fact]
    public void ADivergedEpochDoesNotEnterTheWindow()
    {
        var (_, _, curves) = Sweep([[0.5, 0.6, 0.7, 0.8], [0.1, 0.1, 0.1, 0.1]]);
        var c = curves[0];
        var lost = c with { Records = [.. c.Records.Take(3), c.Records[3] with { TrainLoss = double.NaN, TrainAccuracy = 0.1, Diverged = true }] };

        var entry = LedgerAtEpoch.Entry(lost, epoch: 4, window: 2);

        Assert.Equal(CellState.Diverged, entry.State);
        Assert.Equal(0.65, entry.FinalTrainAccuracy!.Value, 12);
    }

    [Fact]
    public void AtBest_TheWindowIsTheBestMeanOfConsecutiveEvaluations_NotTheOneLuckyEvaluation()
    {
        // 1e-1 spikes once to 0.95 and sits at 0.70 otherwise; 1e-2 holds 0.84-0.86 for three evaluations.
        var (spec, grid, curves) = Sweep([[0.7, 0.7, 0.95, 0.7, 0.7, 0.7], [0.6, 0.84, 0.86, 0.85, 0.8, 0.8]]);

        var single = ResultsSelector.Select(spec, new SelectionSpec(At: SelectionPoint.Best), grid, Ledger(curves, 6, 1)).Single();
        var windowed = ResultsSelector.Select(spec, new SelectionSpec(At: SelectionPoint.Best, Window: 3), grid, Ledger(curves, 6, 3)).Single();

        Assert.Equal(0.1, single.BestLearningRate);
        Assert.Equal(0.95, single.TrainAccuracy!.Value, 12);
        Assert.Equal(0.01, windowed.BestLearningRate);
        Assert.Equal(0.85, windowed.TrainAccuracy!.Value, 12);   // epochs 2-4
        Assert.Equal(0.75, windowed.TestAccuracy!.Value, 12);    // the same epochs' test accuracies
        Assert.Equal(0.85 - (0.7 + 0.95 + 0.7) / 3, windowed.Lead!.Value, 12);
        var entry = LedgerAtEpoch.Entry(curves[1], epoch: 6, window: 3);
        Assert.Equal(0.85, entry.BestTestAccuracy!.Value + 0.1, 12);   // by test accuracy: the same window
        Assert.Equal(0.85, entry.TrainAccuracyAtBestTest!.Value, 12);
    }

    [Fact]
    public void AWindowBesideBest_IsASpecOfItsOwn()
    {
        var spec = SweepSpecParser.Parse(Head + "selection: { at: best, window: 4 }\n");
        Assert.Equal(new SelectionSpec(At: SelectionPoint.Best, Window: 4), spec.Selection);
    }
}
