using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Diagnostics;

/// <summary>A pack that stops (cancelled here; a yield ends the same way) is not done: its cells' gauges leave this
/// silo at once, since its next run reports them, maybe on another silo. They once lingered five minutes, so a yielded
/// pack's cells were reported twice, once stale, and every average over seeds counted them twice. A finished pack's
/// cells keep their final values for the next scrapes.</summary>
public sealed class StoppedPackGaugeTests
{
    /// <summary>The cells of <paramref name="sweep"/> with any per-cell gauge reported now.</summary>
    private static int CellSeries(string sweep) =>
        GaugeReadings.Read<double>(MetricNames.CellGauges).Where(r => Equals(r.Tags["sweep"], sweep)).Select(r => r.Tags["lr"]).Distinct().Count();

    [Fact]
    public async Task StoppedPack_ForgetsItsCellGauges_FinishedPackKeepsThem()
    {
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => gate.For(s, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5))));

        gate.HoldAfter(EpochGate.AnySilo, 1);
        await cluster.Sweep("stopped-gauges").SubmitAsync(TestSpecs.Small("stopped-gauges", [0.1, 0.01], epochs: 4));
        await gate.WaitHeldAsync("both packs after epoch 1", packs: 2);
        Assert.Equal(2, CellSeries("stopped-gauges"));
        await cluster.Sweep("stopped-gauges").CancelAsync();
        await cluster.WaitForAsync("stopped-gauges", s => s.Cells.All(c => c.State == CellState.Cancelled), TimeSpan.FromSeconds(30), "cancel");
        for (var deadline = DateTime.UtcNow.AddSeconds(10); CellSeries("stopped-gauges") > 0; await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, $"{CellSeries("stopped-gauges")} stopped cell(s) still reported");

        gate.Release();
        await cluster.Sweep("finished-gauges").SubmitAsync(TestSpecs.Small("finished-gauges", [0.1, 0.01], epochs: 2));
        await cluster.WaitForFinishAsync("finished-gauges", TimeSpan.FromSeconds(30));
        Assert.Equal(2, CellSeries("finished-gauges"));
    }
}
