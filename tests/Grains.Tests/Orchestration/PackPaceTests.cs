using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A running pack's own pace: its cells' time left in status.</summary>
public sealed class PackPaceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SteadyReports_GiveTheEpochsLeftAtTheirPace_CountingDownBetweenReports()
    {
        var pace = new PackPace();
        for (int e = 1; e <= 5; e++) pace.Add("p", T0.AddSeconds(2 * e), e);   // an epoch every 2 s

        Assert.Equal(2.0 * 95, pace.SecondsLeft("p", 100, T0.AddSeconds(10))!.Value, 9);
        Assert.Equal(2.0 * 95 - 1.5, pace.SecondsLeft("p", 100, T0.AddSeconds(11.5))!.Value, 9);
        Assert.Equal(0, pace.SecondsLeft("p", 5, T0.AddSeconds(10)));   // its last epoch stored: the cells are ending
    }

    [Fact]
    public void AnOverduePack_SlowsInTheEstimate_InsteadOfReachingItsEnd()
    {
        var pace = new PackPace();
        for (int e = 1; e <= 5; e++) pace.Add("p", T0.AddSeconds(2 * e), e);
        var due = pace.SecondsLeft("p", 100, T0.AddSeconds(12))!.Value;   // the next report is due now

        // A minute late: the 4 epochs of its window took 8 s + 58 s, and the 95 left take as long each.
        var late = pace.SecondsLeft("p", 100, T0.AddSeconds(70))!.Value;
        Assert.Equal(2.0 * 95 - 2, due, 9);
        Assert.Equal(95 * (66.0 / 4) - 2, late, 9);
        Assert.True(late > due);
    }

    [Fact]
    public void BeforeTwoReportsAnEpochApart_ThereIsNoPace()
    {
        var pace = new PackPace();
        Assert.Null(pace.SecondsLeft("p", 100, T0));
        pace.Add("p", T0, 1);
        Assert.Null(pace.SecondsLeft("p", 100, T0.AddSeconds(5)));
        pace.Add("p", T0.AddSeconds(2), 1);   // records sent again: no epoch gained
        Assert.Null(pace.SecondsLeft("p", 100, T0.AddSeconds(5)));
        pace.Add("p", T0.AddSeconds(4), 2);
        Assert.NotNull(pace.SecondsLeft("p", 100, T0.AddSeconds(5)));
        Assert.Null(pace.SecondsLeft("q", 100, T0.AddSeconds(5)));   // another pack's reports are not its own

        var quick = new PackPace();   // two reports a second apart: too short a span to trust
        quick.Add("p", T0, 1);
        quick.Add("p", T0.AddSeconds(1), 20);
        Assert.Null(quick.SecondsLeft("p", 100, T0.AddSeconds(1)));
        quick.Add("p", T0.AddSeconds(2), 40);
        Assert.Equal(60 / 19.5, quick.SecondsLeft("p", 100, T0.AddSeconds(2))!.Value, 9);
    }

    [Fact]
    public void ManyReportsASecond_KeepTheWindowASecondASample_AndTheNewestEpoch()
    {
        var pace = new PackPace();
        for (int ms = 0; ms <= 20_000; ms += 10) pace.Add("p", T0.AddMilliseconds(ms), ms / 10);   // 100 epochs a second
        Assert.Equal(190.0, pace.SecondsLeft("p", 21_000, T0.AddSeconds(20))!.Value, 6);   // 19,000 left at 100 a second

        // A burst of 50 epochs in 50 ms: paced over about the last ten seconds (~105 a second), not over the last ten
        // reports' tenth of a second (~1,000 a second, 9 s left).
        for (int i = 1; i <= 5; i++) pace.Add("p", T0.AddMilliseconds(20_000 + 10 * i), 2000 + 10 * i);
        Assert.InRange(pace.SecondsLeft("p", 11_000, T0.AddMilliseconds(20_050))!.Value, 80, 95);
    }

    [Fact]
    public void APackStartedAgain_PacesAnew()
    {
        var pace = new PackPace();
        for (int e = 1; e <= 5; e++) pace.Add("p", T0.AddSeconds(e), e);   // an epoch a second
        pace.Forget("p");
        Assert.Null(pace.SecondsLeft("p", 100, T0.AddSeconds(5)));

        for (int e = 1; e <= 5; e++) pace.Add("p", T0.AddSeconds(e), e);
        pace.Add("p", T0.AddSeconds(10), 3);   // back to an earlier checkpoint's epoch: the earlier pace is not this run's
        pace.Add("p", T0.AddSeconds(14), 4);   // now an epoch in 4 s
        Assert.Equal(4.0 * 96, pace.SecondsLeft("p", 100, T0.AddSeconds(14))!.Value, 9);
    }
}
