using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>What the coordinator makes of an epoch report, sent here as a training grain would while the sweep's real
/// pack is held: a queued pack that reports trains (a start that timed out can have started after all), and a report
/// whose records one cell's curve refuses still counts the other cells' records.</summary>
public sealed class EpochReportTests
{
    [Fact]
    public async Task AQueuedPackThatReports_CountsAsRunning()
    {
        var gate = new EpochGate();
        await using var cluster = await StartAsync(gate);
        var (sweep, cells, incarnation) = await HeldAsync(cluster, gate, TestSpecs.Small("late", [0.1, 0.01], epochs: 20));   // two packs, one slot
        var queued = cells.Single(c => c.State == CellState.Queued);

        // Left queued, the sweep would ask the slot ledger for a slot this pack holds.
        Assert.False((await sweep.ReportEpochsAsync(queued.PackId, incarnation, [Record(queued, 1, diverged: false)])).Stop);

        var after = (await sweep.GetStatusAsync())!.Cells;
        Assert.All(after, c => Assert.Equal(CellState.Running, c.State));
        Assert.Equal(1, after.Single(c => c.CellId == queued.CellId).Epoch);
        await sweep.CancelAsync();
        gate.Release();
    }

    [Fact]
    public async Task ARefusedCell_DoesNotKeepAnotherCellsDivergenceFromBeingActedOn()
    {
        var gate = new EpochGate();
        await using var cluster = await StartAsync(gate);
        var (sweep, cells, incarnation) = await HeldAsync(cluster, gate,
            TestSpecs.Small("partial", [0.1, 0.01], epochs: 20, packing: PackingMode.Lr));   // one pack of two

        // Cell 0's record would leave a gap in its curve; cell 1 diverged at its next epoch.
        await Assert.ThrowsAsync<CurveGapException>(() => sweep.ReportEpochsAsync(cells[0].PackId, incarnation,
            [Record(cells[0], 9, diverged: false), Record(cells[1], 3, diverged: true)]));

        var after = (await sweep.GetStatusAsync())!.Cells;
        Assert.Equal(CellState.Running, after.Single(c => c.CellId == cells[0].CellId).State);
        var diverged = after.Single(c => c.CellId == cells[1].CellId);
        Assert.Equal((CellState.Diverged, 3), (diverged.State, diverged.Epoch));
        await sweep.CancelAsync();
        gate.Release();
    }

    /// <summary>A pack resumed from a checkpoint taken before a cell diverged trains that cell again, and on a GPU the re-run
    /// need not diverge where the first did: its epochs past the stored divergence are dropped, not appended to a curve
    /// that had ended. The other cells of the pack go on.</summary>
    [Fact]
    public async Task ADivergedCellsCurve_TakesNoEpochPastItsDivergence()
    {
        var gate = new EpochGate();
        await using var cluster = await StartAsync(gate);
        var (sweep, cells, incarnation) = await HeldAsync(cluster, gate,
            TestSpecs.Small("ended", [0.1, 0.01], epochs: 20, packing: PackingMode.Lr));   // one pack of two
        await sweep.ReportEpochsAsync(cells[0].PackId, incarnation, [Record(cells[0], 3, diverged: false), Record(cells[1], 3, diverged: true)]);

        // The re-run from a checkpoint of epoch 2: cell 1 does not diverge at 3 this time, and trains on to 4.
        var reply = await sweep.ReportEpochsAsync(cells[0].PackId, incarnation,
            [Record(cells[0], 3, diverged: false), Record(cells[1], 3, diverged: false), Record(cells[0], 4, diverged: false), Record(cells[1], 4, diverged: false)]);

        Assert.False(reply.Stop);
        var curves = (await sweep.GetCurvesAsync(null)).ToDictionary(c => c.CellId);
        Assert.Equal([1, 2, 3, 4], curves[cells[0].CellId].Records.Select(r => r.Epoch));
        var ended = curves[cells[1].CellId];
        Assert.Equal(CellState.Diverged, ended.State);
        Assert.Equal([1, 2, 3], ended.Records.Select(r => r.Epoch));
        Assert.True(ended.Records[^1].Diverged, "the stored divergence was replaced");
        await sweep.CancelAsync();
        gate.Release();
    }

    private static Task<SweepCluster> StartAsync(EpochGate gate) =>
        SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5))));

    /// <summary>Submits <paramref name="spec"/> and waits until its first pack is held after epoch 2.</summary>
    private static async Task<(ISweepCoordinatorGrain Sweep, IReadOnlyList<CellStatus> Cells, string? Incarnation)> HeldAsync(
        SweepCluster cluster, EpochGate gate, SweepSpec spec)
    {
        gate.HoldAfter(EpochGate.AnySilo, 2);
        var sweep = cluster.Sweep(spec.Name);
        await sweep.SubmitAsync(spec);
        await gate.WaitHeldAsync("the pack was not held");
        var incarnation = (await cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync()).Single().Incarnation;
        return (sweep, (await sweep.GetStatusAsync())!.Cells, incarnation);
    }

    private static EpochRecord Record(CellStatus cell, int epoch, bool diverged) =>
        new(cell.CellId, epoch, diverged ? double.NaN : 1.0, 0.5, 0.4, null, null, null, 0.1, 0.01, 100, diverged);
}
