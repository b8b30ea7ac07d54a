using GradGuessCluster.Client.Plotting;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary>Curve colours: the palette while the labels fit it, one ordered scale past it, so no two curves share one.</summary>
public sealed class CurvePaletteTests
{
    [Fact]
    public void UpToNineLabels_TakeThePalettesColours_InOrder()
    {
        for (int count = 1; count <= CurvePalette.Colors.Length; count++)
            Assert.Equal(CurvePalette.Colors.Take(count), Enumerable.Range(0, count).Select(i => CurvePalette.For(i, count)));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(18)]
    [InlineData(40)]
    public void MoreLabels_TakeDistinctColours_FromDarkToLight(int count)
    {
        var colours = Enumerable.Range(0, count).Select(i => CurvePalette.For(i, count)).ToList();
        Assert.Equal(count, colours.Distinct().Count());
        // Along the scale: each one lighter than the one before (viridis rises in lightness), none near the white plot area.
        var lightness = colours.Select(Luma).ToList();
        Assert.All(lightness.Zip(lightness.Skip(1)), p => Assert.True(p.Second > p.First, $"{p.First} then {p.Second}"));
        Assert.True(lightness[^1] < 200, $"the lightest is {lightness[^1]}");
        Assert.Equal(colours[0], CurvePalette.For(0, 2 * count));   // the ends are the scale's, whatever the count
        Assert.Equal(colours[^1], CurvePalette.For(2 * count - 1, 2 * count));
    }

    private static double Luma(SKColor c) => 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
}
