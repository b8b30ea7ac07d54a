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
}
