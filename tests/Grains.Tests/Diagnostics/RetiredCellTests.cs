using GradGuessCluster.Grains.Diagnostics;

namespace GradGuessCluster.Grains.Tests.Diagnostics;

/// <summary>A finished cell's gauges linger for scrapes, then go. They went only when scraped, so a silo nobody scrapes
/// (a cluster run without Prometheus) kept every cell it had ever trained for its whole life.</summary>
public sealed class RetiredCellTests
{
    [Fact]
    public void AStoppedCellWhoseLingerIsOver_IsDroppedWithoutAScrape_ALingeringOneStays()
    {
        var over = new CellLabels("retired-cells", "wt", "sgd", 1e-2, 0);
        var lingering = over with { Seed = 1 };
        foreach (var cell in new[] { over, lingering }) SweepInstruments.EpochCompleted(cell, 0.5, 1000, 0.3, 0.9, 0.8, null);

        SweepInstruments.CellStopped(lingering);                           // the default linger, minutes
        SweepInstruments.CellStopped(over, linger: TimeSpan.Zero);

        Assert.False(SweepInstruments.Tracks(over));
        Assert.True(SweepInstruments.Tracks(lingering));
        SweepInstruments.ForgetCell(lingering);
    }

    [Fact]
    public void ACellThatTrainsAgainBeforeItsLingerEnds_IsNotDroppedByTheOldRetirement()
    {
        var cell = new CellLabels("retrained-cells", "wt", "sgd", 1e-2, 0);
        SweepInstruments.EpochCompleted(cell, 0.5, 1000, 0.3, 0.9, 0.8, null);
        SweepInstruments.CellStopped(cell, linger: TimeSpan.FromMilliseconds(50));
        SweepInstruments.EpochCompleted(cell, 0.5, 1000, 0.3, 0.9, 0.8, null);   // trains again: a new run of those labels
        Thread.Sleep(100);

        var other = cell with { Seed = 9 };
        SweepInstruments.EpochCompleted(other, 0.5, 1000, 0.3, 0.9, 0.8, null);
        SweepInstruments.CellStopped(other, linger: TimeSpan.Zero);                 // drops what is due, the old retirement included
        Assert.False(SweepInstruments.Tracks(other));
        Assert.True(SweepInstruments.Tracks(cell));
        SweepInstruments.ForgetCell(cell);
    }
}
