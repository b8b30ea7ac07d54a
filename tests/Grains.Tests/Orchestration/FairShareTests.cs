using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>Sweeps share the cluster's slots: a sweep submitted while a long one has filled every slot gets its share as
/// the long one's packs end, instead of waiting for the whole of it.</summary>
public sealed class FairShareTests
{
    [Fact]
    public async Task ASweepSubmittedBehindALongOne_GetsHalfTheSlots_AsTheLongOnesPacksEnd()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(40));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer);
        var lrs = Enumerable.Range(0, 16).Select(i => Math.Pow(10, -1 - i / 4.0)).ToArray();
        await cluster.Sweep("long").SubmitAsync(TestSpecs.Small("long", lrs, epochs: 6));
        await cluster.WaitForAsync("long", s => s.Count(CellState.Running) == 2, TimeSpan.FromSeconds(30), "did not fill the slots");
        await cluster.Sweep("short").SubmitAsync(TestSpecs.Small("short", [0.1, 0.01], epochs: 6));

        var shortDone = await cluster.WaitForFinishAsync("short", TimeSpan.FromSeconds(60));
        var longThen = (await cluster.Sweep("long").GetStatusAsync())!;
        var longDone = await cluster.WaitForFinishAsync("long", TimeSpan.FromSeconds(60));

        Assert.All(shortDone.Cells, c => Assert.Equal(CellState.Completed, c.State));
        // Two slots shared by two sweeps: the short one's two packs train one at a time beside the long one's, so the
        // long one has at most a handful of its 16 packs done when the short one ends.
        Assert.True(longThen.Count(CellState.Completed) <= 8, $"the long sweep had {longThen.Count(CellState.Completed)} of 16 cells done");
        Assert.True(shortDone.FinishedAt < longDone.FinishedAt);
    }
}
