using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A report whose records one cell's curve refuses still counts what the pack's other cells stored: their
/// divergence ends them now, not when the pack ends.</summary>
public sealed class PartialReportTests
{
    [Fact]
    public async Task ARefusedCell_DoesNotKeepAnotherCellsDivergenceFromBeingActedOn()
    {
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5))));
        gate.HoldAfter(EpochGate.AnySilo, 2);
        var sweep = cluster.Sweep("partial");
        await sweep.SubmitAsync(TestSpecs.Small("partial", [0.1, 0.01], epochs: 20, packing: PackingMode.Lr));   // one pack of two
        await gate.WaitHeldAsync("the pack was not held");
        var cells = (await sweep.GetStatusAsync())!.Cells;
        var incarnation = (await cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync()).Single().Incarnation;

        // Cell 0's record would leave a gap in its curve; cell 1 diverged at its next epoch.
        EpochRecord Record(int cell, int epoch, bool diverged) =>
            new(cells[cell].CellId, epoch, diverged ? double.NaN : 1.0, 0.5, 0.4, null, null, null, 0.1, 0.01, 100, diverged);
        await Assert.ThrowsAsync<CurveGapException>(() => sweep.ReportEpochsAsync(cells[0].PackId, incarnation,
            [Record(0, 9, false), Record(1, 3, true)]));

        var after = (await sweep.GetStatusAsync())!.Cells;
        Assert.Equal(CellState.Running, after.Single(c => c.CellId == cells[0].CellId).State);
        var diverged = after.Single(c => c.CellId == cells[1].CellId);
        Assert.Equal((CellState.Diverged, 3), (diverged.State, diverged.Epoch));
        await sweep.CancelAsync();
        gate.Release();
    }
}
