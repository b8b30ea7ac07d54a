using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>The pause before a pack that failed to start is tried again: doubling from half a second, at most a minute.</summary>
public sealed class StartBackoffTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Pauses_DoubleFromHalfASecond_UpToAMinute()
    {
        StartBackoff? backoff = null;
        var pauses = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            backoff = StartBackoff.After(backoff, "r", T0);
            pauses.Add((backoff.NotBefore - T0).TotalSeconds);
        }
        Assert.Equal([0.5, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60], pauses);
        Assert.Equal(12, backoff!.Failures);
        Assert.Equal(60, (StartBackoff.After(backoff with { Failures = 10_000 }, "r", T0).NotBefore - T0).TotalSeconds);   // no overflow
    }

    [Fact]
    public void Describe_SaysHowOftenThePauseAndWhy_AndChangesOnlyWithAFailure()
    {
        var backoff = StartBackoff.After(StartBackoff.After(null, "x", T0), "IOException: disk gone", T0);
        Assert.Equal("pack p1 could not be started (2 tries, the next after 1 s): IOException: disk gone", backoff.Describe("p1"));
        Assert.Equal("pack p1 could not be started (1 try, the next after 0.5 s): x", StartBackoff.After(null, "x", T0).Describe("p1"));
        for (int i = 0; i < 8; i++) backoff = StartBackoff.After(backoff, "r", T0);
        Assert.Equal("pack p1 could not be started (10 tries, the next after 1 min): r", backoff.Describe("p1"));
    }
}
