using GradGuessCluster.Client.Plotting;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary>Curves of two sweeps in one plot take their colour from the sweep's place (A, B), not from which sweeps
/// happen to have curves.</summary>
public sealed class CurvePlotSweepsTests
{
    private static PlotCurve Curve(string sweep)
    {
        double at = sweep == "a" ? 0.2 : 0.6;      // apart, so that one line does not hide the other
        return new("wt", "adamw", 1e-3, [new(1, at, 0), new(2, at + 0.1, 0), new(3, at + 0.2, 0)], [], [], [], sweep);
    }

    [Theory]
    [InlineData(new[] { "a", "b" }, 0, 1)]
    [InlineData(new[] { "b" }, 1, 0)]       // A has no best learning rate yet: B keeps B's colour
    [InlineData(new[] { "a" }, 0, 1)]
    public void EachSweep_KeepsItsColour(string[] plotted, int colour, int absent)
    {
        var png = CurvePlot.RenderPng("t", plotted.Select(Curve).ToList(), PlotMetric.Train, 600, 400, ["a", "b"]);
        using var bitmap = SKBitmap.Decode(png);
        var area = new PlotLayout(600, 400, 1, 1).PlotArea(0, 0);
        int Pixels(SKColor c) => Enumerable.Range((int)area.Left + 1, (int)area.Width - 2)
            .Sum(x => Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Count(y => PngCurves.Near(bitmap.GetPixel(x, y), c)));

        Assert.True(Pixels(CurvePalette.Colors[colour]) > 50);
        Assert.Equal(plotted.Length == 2, Pixels(CurvePalette.Colors[absent]) > 50);
    }

    [Fact]
    public void ACurveOfAnUnlistedSweep_IsRefused() =>
        Assert.Throws<ArgumentException>(() => CurvePlot.RenderPng("t", [Curve("c")], PlotMetric.Train, 600, 400, ["a", "b"]));
}
