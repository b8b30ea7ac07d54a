using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>Results at an epoch on a real silo: the coordinator reads its curves a chunk of cells at a time, and must rank
/// exactly as the whole set of curves read at once would.</summary>
public sealed class ResultsAtEpochTests
{
    [Fact]
    public async Task ASweepOfMoreCellsThanOneChunk_RanksAsAllItsCurvesReadAtOnce()
    {
        var spec = TestSpecs.Small("chunks", Enumerable.Range(1, 150).Select(i => i * 1e-4).ToArray(), epochs: 3);
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(8)], _ => new NoOpPackTrainerFactory());
        await cluster.Sweep("chunks").SubmitAsync(spec);
        await cluster.WaitForAsync("chunks", s => s.State == SweepState.Completed, TimeSpan.FromSeconds(60), "did not finish");

        var curves = await cluster.Sweep("chunks").GetCurvesAsync(null);
        var grid = SweepGrid.Expand(spec);
        foreach (var epoch in new[] { 1, 2, 3 })
        {
            var rule = SelectionSpec.AtEpoch(SelectionMetric.TrainAccuracy, epoch);
            var expected = ResultsSelector.Select(spec, rule, grid, Curves.LedgerAt(curves, epoch)).Single();
            var row = (await cluster.Sweep("chunks").GetResultsAsync(rule))!.Rows.Single();
            Assert.Equal(expected, row);
            Assert.Equal(150, row.CellsFinished);
        }
    }

    [Fact]
    public async Task AWindowedSpec_RanksByEachCurvesMeanOverItsLastEvaluations_ReadFromTheStoredCurves()
    {
        var spec = TestSpecs.Small("window", [1e-1, 1e-2, 1e-3, 1e-4], epochs: 6) with { Selection = new SelectionSpec(Window: 3) };
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(4)], _ => new NoOpPackTrainerFactory());
        await cluster.Sweep("window").SubmitAsync(spec);
        await cluster.WaitForAsync("window", s => s.State == SweepState.Completed, TimeSpan.FromSeconds(60), "did not finish");

        var curves = await cluster.Sweep("window").GetCurvesAsync(null);
        var grid = SweepGrid.Expand(spec);
        var ledger = curves.ToDictionary(c => c.CellId, c => LedgerAtEpoch.Entry(c, 6, 3));
        var expected = ResultsSelector.Select(spec, spec.SelectionOrDefault, grid, ledger).Single();
        var results = (await cluster.Sweep("window").GetResultsAsync(null))!;
        Assert.Equal(spec.Selection, results.Selection);
        Assert.Equal(expected, results.Rows.Single());
        // The mean of epochs 4 to 6, not the last epoch's accuracy (the no-op trainer's curves rise and jitter).
        var won = curves.Single(c => c.Config.LearningRate == expected.BestLearningRate).Records;
        Assert.Equal(won.TakeLast(3).Average(r => r.TrainAccuracy!.Value), expected.TrainAccuracy!.Value, 12);
        Assert.NotEqual(won[^1].TrainAccuracy!.Value, expected.TrainAccuracy.Value);

        // Asked at an epoch, the window ends there; one longer than the evaluations there is refused by the coordinator too.
        var atFour = (await cluster.Sweep("window").GetResultsAsync(SelectionSpec.AtEpoch(SelectionMetric.TrainAccuracy, 4) with { Window = 2 }))!;
        var expectedAtFour = ResultsSelector.Select(spec, atFour.Selection, grid, curves.ToDictionary(c => c.CellId, c => LedgerAtEpoch.Entry(c, 4, 2))).Single();
        Assert.Equal(expectedAtFour, atFour.Rows.Single());
        var tooLong = await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() =>
            cluster.Sweep("window").GetResultsAsync(SelectionSpec.AtEpoch(SelectionMetric.TrainAccuracy, 2) with { Window = 3 }));
        Assert.Contains("a window of 3 evaluations, but each curve holds 2 up to epoch 2", tooLong.Message);
    }
}
