using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A cancel that lands after a pack trained its last epoch, before its end report: its cells are complete, and
/// were left cancelled, keeping their learning rates out of the results with curves as whole as any; a sweep with no
/// cancelled cell left completes.</summary>
public sealed class CancelAfterLastEpochTests
{
    [Fact]
    public async Task CellsWhosePackFinishedBeforeItHeardTheCancel_EndCompleted_AndCountInTheResults()
    {
        var held = new HeldCall(c => c.InterfaceMethod?.Name == nameof(ISweepCoordinatorGrain.PackEndedAsync));   // the first end report
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer,
            services: s => s.AddSingleton<IIncomingGrainCallFilter>(held));
        var spec = TestSpecs.Small("late", [0.1, 0.01], epochs: 4, packing: PackingMode.Lr);
        var sweep = cluster.Sweep("late");
        await sweep.SubmitAsync(spec);
        await held.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));   // every epoch stored, the end report waiting

        Assert.Equal(2, await sweep.CancelAsync());
        held.Release.SetResult();
        var after = await cluster.WaitForAsync("late", s => s.Cells.All(c => c.State == CellState.Completed), TimeSpan.FromSeconds(30),
            "its cells did not end completed");

        Assert.Equal(SweepState.Completed, after.State);
        await cluster.WaitForRegistryCompletedAsync("late", TimeSpan.FromSeconds(30));
        Assert.All(after.Cells, c => Assert.Equal(spec.Epochs, c.Epoch));
        var row = Assert.Single((await sweep.GetResultsAsync(null))!.Rows);
        Assert.NotNull(row.BestLearningRate);
        Assert.Null(row.Note);
    }
}
