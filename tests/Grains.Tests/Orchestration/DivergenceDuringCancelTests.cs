using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A cancel marks the running cells cancelled before its stop reaches their pack, so an epoch the pack finished
/// meanwhile is stored after the mark. A divergence in it is a result: the cell was left cancelled, its learning rate
/// read "failed or cancelled" in the results with an accuracy from before it diverged.</summary>
public sealed class DivergenceDuringCancelTests
{
    [Fact]
    public async Task ACellThatDivergedInAnEpochStoredAfterTheCancel_EndsDiverged()
    {
        // The first epoch report that holds a divergence.
        var held = new HeldCall(c => c.InterfaceMethod?.Name == nameof(ISweepCoordinatorGrain.ReportEpochsAsync)
                                     && c.Request.GetArgument(2) is IReadOnlyList<EpochRecord> records && records.Any(r => r.Diverged));
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10), divergeAtLearningRate: 0.5);   // lr 1.0, epoch 2
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer,
            services: s => s.AddSingleton<IIncomingGrainCallFilter>(held));
        var spec = TestSpecs.Small("late-divergence", [0.1, 1.0], epochs: 6, packing: PackingMode.Lr);
        var sweep = cluster.Sweep(spec.Name);
        await sweep.SubmitAsync(spec);
        await held.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));   // epoch 2's report, the divergence in it, waiting

        var cancel = sweep.CancelAsync();   // its stop waits on the pack, which waits on the held report
        await cluster.WaitForAsync(spec.Name, s => s.State == SweepState.Cancelled, TimeSpan.FromSeconds(30), "the cancel did not mark the sweep");
        held.Release.SetResult();
        Assert.Equal(2, await cancel.WaitAsync(TimeSpan.FromSeconds(30)));
        var after = await cluster.WaitForAsync(spec.Name, s => s.Cells.Single(c => c.Config.LearningRate == 1.0).State == CellState.Diverged,
            TimeSpan.FromSeconds(15), "the cell that diverged stayed cancelled");

        var calm = after.Cells.Single(c => c.Config.LearningRate == 0.1);
        Assert.Equal((CellState.Cancelled, 2), (calm.State, calm.Epoch));
        Assert.Equal(SweepState.Cancelled, after.State);   // the lr 0.1 cell is still cancelled: a resume trains it on
        var row = Assert.Single((await sweep.GetResultsAsync(null))!.Rows);
        Assert.Contains("1 learning rate diverged", row.Note);
    }
}
