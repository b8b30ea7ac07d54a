using GradGuessCluster.Client.Rendering;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>Progress rounds down: 1195 of 1200 cell-epochs printed "(100%)" for a sweep still running.</summary>
public sealed class ProgressPercentTests
{
    [Theory]
    [InlineData(1195, 1200, 0, "99")]
    [InlineData(11995, 12000, 1, "99.9")]
    [InlineData(310, 1200, 0, "25")]
    [InlineData(1, 3, 1, "33.3")]
    [InlineData(2, 3, 1, "66.6")]
    [InlineData(1200, 1200, 0, "100")]
    [InlineData(1200, 1200, 1, "100.0")]
    [InlineData(0, 0, 0, "100")]
    [InlineData(0, 1200, 1, "0.0")]
    public void Text_RoundsDown_AndReads100OnlyWhenDone(long done, long total, int decimals, string expected) =>
        Assert.Equal(expected, ProgressPercent.Text(done, total, decimals));

    /// <summary>The footer of a large sweep's table: with more cells running than it shows, it said "showing the 40 running
    /// cells of 1000" under a summary counting 64 running.</summary>
    [Theory]
    [InlineData(12, 12, 1000, "showing the 12 running cells of 1000")]
    [InlineData(40, 64, 1000, "showing 40 of the 64 running cells (1000 in all)")]
    public void LargeSweepsFooter_SaysHowManyRunWhenItShowsFewer(int shown, int running, int total, string expected) =>
        Assert.Equal(expected, ProgressView.Showing(shown, running, total));
}
