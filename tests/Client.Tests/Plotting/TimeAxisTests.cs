using GradGuessCluster.Client.Plotting;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary><c>plot --time</c>'s axis: a round end at or past the longest time, in the unit the span reads best in.</summary>
public sealed class TimeAxisTests
{
    [Theory]
    [InlineData(50, 50, 10, "s", "10 s")]
    [InlineData(47.3, 50, 10, "s", "10 s")]
    [InlineData(0.12, 0.12, 0.02, "s", "0.02 s")]
    [InlineData(181, 4 * 60, 60, "min", "1 min")]            // past three minutes: minutes
    [InlineData(565, 10 * 60, 120, "min", "2 min")]
    [InlineData(5 * 3600, 5 * 3600, 3600, "h", "1 h")]       // past three hours: hours
    [InlineData(0, 1, 0.2, "s", "0.2 s")]                     // nothing trained yet: a second
    public void TheAxis_EndsRoundAtOrPastTheLongestTime_InSixStepsAtMost(double seconds, double max, double step, string unit, string firstTick)
    {
        var axis = TimeAxis.Spanning(seconds);

        Assert.Equal(max, axis.Max, 9);
        Assert.Equal(step, axis.Step, 9);
        Assert.Equal(unit, axis.UnitName);
        var ticks = axis.Ticks.ToList();
        Assert.InRange(ticks.Count - 1, 1, 6);
        Assert.Equal(0, ticks[0]);
        Assert.Equal(axis.Max, ticks[^1], 9);
        Assert.Equal(firstTick, axis.Label(ticks[1]));
        Assert.True(axis.Max >= seconds);
    }
}
