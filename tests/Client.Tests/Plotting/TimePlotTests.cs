using GradGuessCluster.Client.Plotting;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary><c>plot --time</c>: each line drawn at its points' times and accuracies, on one time axis for every panel,
/// read back from the PNG's pixels.</summary>
public sealed class TimePlotTests
{
    [Fact]
    public void EachLine_RunsThroughItsPointsTimesAndAccuracies_OnTheAxisTheLongestLineSets()
    {
        // Two optimizers' panels; adamw's line ends at 40 s, sgd's at 20 s: the shared axis runs to 40 s (4 steps of 10).
        var adamw = new TimeSeries("wt", "adamw", 1e-3, false, [new(10, 0.2), new(40, 0.8)]);
        var sgd = new TimeSeries("wt", "sgd", 1e-2, false, [new(10, 0.5), new(20, 0.5)]);
        using var bitmap = SKBitmap.Decode(TimePlot.Render(PlotFormat.Png, "t", [adamw, sgd], 1000, 500));
        var layout = new PlotLayout(1000, 500, 1, 2);
        var (left, right) = (layout.PlotArea(0, 0), layout.PlotArea(0, 1));

        // Halfway in time between adamw's two points (25 s) its line is halfway in accuracy (0.5).
        Assert.InRange(Coloured(bitmap, left, X(left, 25)).Average(), Y(left, 0.5) - 3, Y(left, 0.5) + 3);
        // sgd's flat line at 0.5 from 10 s to 20 s, and nothing after it ends.
        Assert.InRange(Coloured(bitmap, right, X(right, 15)).Average(), Y(right, 0.5) - 3, Y(right, 0.5) + 3);
        Assert.Empty(Coloured(bitmap, right, X(right, 30)));
        Assert.Empty(Coloured(bitmap, left, X(left, 5)));   // before the first evaluation: no line from the origin
    }

    private static int X(SKRect area, double seconds) => (int)Math.Round(area.Left + seconds / 40 * area.Width);

    private static double Y(SKRect area, double accuracy) => area.Bottom - accuracy * area.Height;

    private static List<int> Coloured(SKBitmap bitmap, SKRect area, int x) =>
        Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Where(y => PngCurves.Near(bitmap.GetPixel(x, y), CurvePalette.For(0))).ToList();
}
