using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>An end report from a run other than the pack's current one (an activation on a silo declared dead that has not
/// learned it yet, while the pack trains elsewhere) is folded into nothing: it ended the live run's cells.</summary>
public sealed class StaleRunTests
{
    [Theory]
    [InlineData(PackRunState.Failed)]
    [InlineData(PackRunState.Stopped)]
    public async Task AnEndFromAnotherRun_LeavesTheLiveRunsCellsTraining(PackRunState end)
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(50));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer);
        var spec = TestSpecs.Small("stale", [0.1, 0.01], epochs: 40, packing: PackingMode.Lr);
        var sweep = cluster.Sweep("stale");
        await sweep.SubmitAsync(spec);
        var running = await cluster.WaitForAsync("stale", s => s.Count(CellState.Running) == 2 && s.Cells.All(c => c.Epoch >= 1),
            TimeSpan.FromSeconds(30), "the pack did not start");
        var packId = running.Cells.Select(c => c.PackId).Distinct().Single();
        var incarnation = (await cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync()).Single(s => s.Name == "stale").Incarnation;

        var outcomes = end == PackRunState.Failed
            ? running.Cells.Select(c => new CellOutcome(c.CellId, CellState.Failed, 1, "the old run's failure")).ToList() : null;
        var stale = new PackProgress(end, 1, "a-silo-declared-dead", "cpu", outcomes, Run: Guid.NewGuid().ToString("N"));
        Assert.False(await sweep.PackEndedAsync(packId, incarnation, stale));

        var after = (await sweep.GetStatusAsync())!;
        Assert.All(after.Cells, c => Assert.Equal(CellState.Running, c.State));
        var done = await cluster.WaitForFinishAsync("stale", TimeSpan.FromSeconds(60));
        Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Assert.Equal(1, trainer.Opened);   // the live run was not started again
    }
}
