using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>The live views' "time left": the recent pace of cell-epochs over a window, and how it is said.</summary>
public sealed class EpochRateTests
{
    private static readonly DateTime T0 = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void SteadyPace_GivesTheRemainingEpochsOverIt()
    {
        var rate = new EpochRate(TimeSpan.FromMinutes(5));
        for (int s = 0; s <= 60; s += 2) rate.Observe(T0.AddSeconds(s), 100 + s / 2);   // 0.5 epochs/s from 100
        Assert.Equal(TimeSpan.FromSeconds((1000 - 130) / 0.5), rate.Remaining(1000));
    }

    [Fact]
    public void TooShortASpanOrNoProgress_SaysNothing()
    {
        var rate = new EpochRate(TimeSpan.FromMinutes(5));
        rate.Observe(T0, 0);
        Assert.Null(rate.Remaining(100));
        rate.Observe(T0.AddSeconds(5), 4);
        Assert.Null(rate.Remaining(100));   // under MinimumSpan: one pack's burst of reports
        rate.Observe(T0.AddSeconds(30), 0 + 4);
        Assert.NotNull(rate.Remaining(100));

        var stalled = new EpochRate(TimeSpan.FromMinutes(5));
        stalled.Observe(T0, 7);
        stalled.Observe(T0.AddMinutes(1), 7);
        Assert.Null(stalled.Remaining(100));
    }

    [Fact]
    public void OnlyTheWindowCounts_SoAChangedPaceTakesOverOnceTheWindowHasPassed()
    {
        var rate = new EpochRate(TimeSpan.FromMinutes(1));
        long done = 0;
        for (int s = 1; s <= 120; s++) rate.Observe(T0.AddSeconds(s), done += 10);   // 10 epochs/s for two minutes
        for (int s = 121; s <= 240; s++) rate.Observe(T0.AddSeconds(s), done += 1);   // then 1 epoch/s
        Assert.Equal(TimeSpan.FromSeconds(1000), rate.Remaining(done + 1000));
    }

    [Fact]
    public void FewerEpochsThanBefore_StartsThePaceAfresh()
    {
        var rate = new EpochRate(TimeSpan.FromMinutes(5));
        rate.Observe(T0, 0);
        rate.Observe(T0.AddSeconds(60), 600);
        rate.Observe(T0.AddSeconds(61), 500);   // a cell went back to its checkpoint
        Assert.Null(rate.Remaining(1000));
        rate.Observe(T0.AddSeconds(81), 520);
        Assert.Equal(TimeSpan.FromSeconds(480), rate.Remaining(1000));
    }

    [Theory]
    [InlineData(59, "under a minute left")]
    [InlineData(90, "about 2 min left")]
    [InlineData(59 * 60 + 20, "about 59 min left")]
    [InlineData(3 * 3600 + 5 * 60 + 10, "about 3 h 05 min left")]
    public void Describe_IsCoarse(int seconds, string expected) =>
        Assert.Equal(expected, EpochRate.Describe(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Summary_SaysTheTimeLeftOnlyWhileTheSweepRuns()
    {
        var cell = new CellStatus("c", "p", new CellConfig("wt", "adamw", 1e-3, 0), CellState.Running, 3, 10, null, null, null, null, null, null);
        var running = new SweepStatus("s", SweepState.Running, 10, [cell], DateTimeOffset.UtcNow, null);
        Assert.EndsWith("3/10 epochs (30.0%), about 12 min left", ProgressView.Summary(running, TimeSpan.FromMinutes(12)));
        Assert.EndsWith("(30.0%)", ProgressView.Summary(running));
        Assert.EndsWith("(30.0%)", ProgressView.Summary(running with { State = SweepState.Cancelled }, TimeSpan.FromMinutes(12)));
    }
}
