using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>The coordinator's recent pace: stored cell-epochs over a window that reaches up to now.</summary>
public sealed class EpochPaceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1), Minimum = TimeSpan.FromSeconds(2);

    [Fact]
    public void SteadyReports_GiveTheirRate_CountingFromTheFirstReport()
    {
        var pace = new EpochPace(Window, Minimum);
        for (int s = 0; s <= 30; s++) pace.Add(T0.AddSeconds(s), 4, "p");   // 4 cell-epochs a second; the first 4 are the baseline's
        Assert.Equal(4.0, pace.PerSecond(T0.AddSeconds(30)));
    }

    [Fact]
    public void WorkIsPacedOverTheSameWindow_AndNoneCountedIsNoWorkPace()
    {
        var pace = new EpochPace(Window, Minimum);
        for (int s = 0; s <= 30; s++) pace.Add(T0.AddSeconds(s), 4, "p", work: s < 15 ? 4 : 8);   // a dearer pack from 15 s
        Assert.Equal(4.0, pace.PerSecond(T0.AddSeconds(30)));
        Assert.Equal((14 * 4 + 16 * 8) / 30.0, pace.WorkPerSecond(T0.AddSeconds(30))!.Value, 12);

        var unknown = new EpochPace(Window, Minimum);
        for (int s = 0; s <= 30; s++) unknown.Add(T0.AddSeconds(s), 4, "p");
        Assert.Null(unknown.WorkPerSecond(T0.AddSeconds(30)));
        Assert.Null(new EpochPace(Window, Minimum).WorkPerSecond(T0));
    }

    [Fact]
    public void ManyReportsASecond_KeepOneSampleASecond_AndCountEveryEpoch()
    {
        var pace = new EpochPace(Window, Minimum);
        for (int ms = 0; ms <= 10_000; ms++) pace.Add(T0.AddMilliseconds(ms), 1, "p");   // a report every millisecond
        Assert.InRange(pace.SampleCount, 10, 11);
        Assert.Equal(1000.0, pace.PerSecond(T0.AddSeconds(10))!.Value, 0);
    }

    [Fact]
    public void BeforeTheMinimumSpan_OrWithoutProgress_ThereIsNoPace()
    {
        var pace = new EpochPace(Window, Minimum);
        Assert.Null(pace.PerSecond(T0));
        pace.Add(T0, 10, "p");
        pace.Add(T0.AddSeconds(1), 10, "p");
        Assert.Null(pace.PerSecond(T0.AddSeconds(1.5)));
        Assert.Equal(5.0, pace.PerSecond(T0.AddSeconds(2)));
        var single = new EpochPace(Window, Minimum);
        single.Add(T0, 10, "p");
        Assert.Null(single.PerSecond(T0.AddSeconds(30)));   // one report: nothing measured after it
    }

    [Fact]
    public void AStall_SlowsThePaceUntilTheWindowHoldsNoReports()
    {
        var pace = new EpochPace(Window, Minimum);
        for (int s = 0; s <= 30; s++) pace.Add(T0.AddSeconds(s), 2, "p");
        Assert.Equal(2.0, pace.PerSecond(T0.AddSeconds(30)));
        Assert.Equal(1.0, pace.PerSecond(T0.AddSeconds(60)));   // 60 epochs since the baseline, over 60 s
        Assert.Null(pace.PerSecond(T0.AddSeconds(95)));          // no report in the last minute
    }

    [Fact]
    public void AfterAStall_ThePaceIsTheSweepsOwnAgainAtOnce()
    {
        var pace = new EpochPace(Window, Minimum);
        for (int s = 0; s <= 30; s++) pace.Add(T0.AddSeconds(s), 2, "p");
        Assert.True(pace.PerSecond(T0.AddSeconds(600)) is null);   // stalled: nothing in the window
        for (int s = 930; s <= 932; s++) pace.Add(T0.AddSeconds(s), 2, "p");   // a silo back after a quarter of an hour
        // The quarter of an hour counts as one of the pack's gaps (1 s): the 6 epochs after the last report before it
        // (the baseline once the window had passed it) in 3 s, not in 902 s.
        Assert.Equal(2.0, pace.PerSecond(T0.AddSeconds(932))!.Value, 6);
    }

    [Fact]
    public void EpochsSlowerThanTheWindow_KeepTheirCadence_AndAGapOfTwoCadencesIsNoStall()
    {
        var pace = new EpochPace(Window, Minimum);
        for (int s = 0; s <= 1800; s += 600) pace.Add(T0.AddSeconds(s), 4, "p");   // a report every 10 minutes
        Assert.Equal(4.0 / 600, pace.PerSecond(T0.AddSeconds(1800))!.Value, 9);
        pace.Add(T0.AddSeconds(3000), 4, "p");   // 20 minutes: slow, but within three cadences
        Assert.Equal(4.0 / 1200, pace.PerSecond(T0.AddSeconds(3000))!.Value, 9);
    }

    [Fact]
    public void PacksReportingInBursts_AreNoStall_BetweenTheirBursts()
    {
        // Two packs started 5 s apart, an epoch each 400 s: the sweep's reports come 5 s and 395 s apart. Judged by the
        // sweep's gaps, each 395 s gap read as a stall and the pace as 2 epochs in 10 s, 40 times too fast.
        var pace = new EpochPace(Window, Minimum);
        for (int s = 0; s <= 1200; s += 400)
        {
            pace.Add(T0.AddSeconds(s), 1, "a");
            pace.Add(T0.AddSeconds(s + 5), 1, "b");
        }
        Assert.Equal(2.0 / 400, pace.PerSecond(T0.AddSeconds(1205))!.Value, 9);
    }

    [Fact]
    public void AnEarlierLongPause_DoesNotHideALaterStall()
    {
        // A report a second, one pause of 50 s (shorter than the window: no stall), two minutes more of reports, then a
        // stall of 2 minutes. Judged by the pack's longest gap (50 s), 2 minutes was no stall (not three of them), and
        // the pace read 8 epochs in 123 s.
        var pace = new EpochPace(Window, Minimum);
        for (int s = 0; s <= 30; s++) pace.Add(T0.AddSeconds(s), 2, "p");
        for (int s = 80; s <= 200; s++) pace.Add(T0.AddSeconds(s), 2, "p");
        for (int s = 320; s <= 323; s++) pace.Add(T0.AddSeconds(s), 2, "p");
        Assert.Equal(2.0, pace.PerSecond(T0.AddSeconds(323))!.Value, 6);
    }

    [Fact]
    public void OnlyTheWindowCounts_SoANewPaceTakesOver()
    {
        var pace = new EpochPace(Window, Minimum);
        for (int s = 0; s < 120; s++) pace.Add(T0.AddSeconds(s), 10, "p");
        for (int s = 120; s <= 240; s++) pace.Add(T0.AddSeconds(s), 1, "p");
        Assert.Equal(1.0, pace.PerSecond(T0.AddSeconds(240)));
    }
}
