using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>How status and the live views say a running sweep's time left.</summary>
public sealed class TimeLeftTests
{
    [Theory]
    [InlineData(59, "under a minute left")]
    [InlineData(90, "about 2 min left")]
    [InlineData(59 * 60 + 20, "about 59 min left")]
    [InlineData(3 * 3600 + 5 * 60 + 10, "about 3 h 05 min left")]
    public void Describe_IsCoarse(int seconds, string expected) =>
        Assert.Equal(expected, TimeLeft.Describe(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(3599, "")]                                                  // under an hour: the duration says it
    [InlineData(3 * 3600 + 5 * 60, " (ends about 14:05 UTC)")]
    [InlineData(13 * 3600, " (ends about Dec 8 00:00 UTC)")]                // past midnight: another day
    [InlineData(30 * 86_400, " (ends about Jan 6 2027 11:00 UTC)")]         // another year
    [InlineData(400 * 86_400, "")]                                          // a stall's pace, no date
    public void Ends_SaysTheClockTimeFromAnHourLeft(int seconds, string expected) =>
        Assert.Equal(expected, TimeLeft.Ends(seconds, new DateTimeOffset(2026, 12, 7, 11, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void ALongSweepsSummary_EndsWithItsClockTime()
    {
        var cell = new CellStatus("c", "p", new CellConfig("wt", "adamw", 1e-3, 0), CellState.Running, 0, 10, null, null, null, null, null, null);
        var running = new SweepStatus("s", SweepState.Running, 10, [cell], DateTimeOffset.UtcNow, null, WorkSecondsLeft: 2 * 3600);
        var now = new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.FromHours(1));   // 08:30 UTC
        Assert.Equal(", about 2 h 00 min left (ends about 10:30 UTC)", TimeLeft.Suffix(running, now));
    }

    [Fact]
    public void APaceTooSlowForATimeSpan_SaysMoreThan100Years()
    {
        // One epoch stored after days of a stall, a million cell-epochs to go: past TimeSpan.MaxValue, status threw.
        var cell = new CellStatus("c", "p", new CellConfig("wt", "adamw", 1e-3, 0), CellState.Running, 1, 1_000_000, null, null, null, null, null, null);
        var stalled = new SweepStatus("s", SweepState.Running, 1_000_000, [cell], DateTimeOffset.UtcNow, null, EpochsPerSecond: 1e-7);
        Assert.EndsWith(", more than 100 years left", TimeLeft.Suffix(stalled));
        Assert.Equal("about 1 h 00 min", TimeLeft.Duration(3600.0));
    }

    [Fact]
    public void Summaries_SayTheTimeLeft_OnlyForARunningSweepWithAPace()
    {
        var cell = new CellStatus("c", "p", new CellConfig("wt", "adamw", 1e-3, 0), CellState.Running, 4, 10, null, null, null, null, null, null);
        var running = new SweepStatus("s", SweepState.Running, 10, [cell, cell with { CellId = "d", Epoch = 0 }], DateTimeOffset.UtcNow, null,
            EpochsPerSecond: 1.0 / 64);   // 16 epochs left: 1024 s
        Assert.Equal(1024, running.SecondsLeft);
        Assert.EndsWith("4/20 epochs (20.0%), about 17 min left", ProgressView.Summary(running));
        Assert.EndsWith("4/20 cell-epochs (20%), about 17 min left", SweepStatusView.Summary(running));
        Assert.EndsWith("(20.0%)", ProgressView.Summary(running with { EpochsPerSecond = null }));
        Assert.Null((running with { State = SweepState.Cancelled }).SecondsLeft);
        Assert.EndsWith("(20%)", SweepStatusView.Summary(running with { State = SweepState.Cancelled }));
        // Reckoned in work where the coordinator counted it (dearer packs still to come): that figure, not the epochs'.
        var weighed = running with { WorkSecondsLeft = 1500 };
        Assert.Equal(1500, weighed.SecondsLeft);
        Assert.EndsWith("4/20 epochs (20.0%), about 25 min left", ProgressView.Summary(weighed));
        Assert.Null((weighed with { State = SweepState.Completed }).SecondsLeft);
    }
}
