using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary>The title fits the image: a long one on a narrow image is drawn smaller, not cut at both edges.</summary>
public sealed class CurvePlotTitleTests
{
    private static readonly IReadOnlyList<PlotCurve> Curves = PlotCurve.FromRows(Enumerable.Range(1, 3).Select(e =>
        new CurveRow("s", "c", "wt", "adamw", 1e-3, 0, e, 0.5, 0.5, 1.0, null, 0.1, "completed")), seeds: [0]);

    [Theory]
    [InlineData(6)]     // fits at the full size
    [InlineData(20)]    // too wide for 400 pixels at the full size (about 650)
    public void TheTitle_LiesWithinTheImage_LeavingItsEdgesClear(int words)
    {
        var title = string.Join(' ', Enumerable.Repeat("Wx", words));
        using var bitmap = SKBitmap.Decode(CurvePlot.RenderPng(title, Curves, PlotMetric.Train, 400, 300));
        bool Inked(int x) => Enumerable.Range(4, 36).Any(y => bitmap.GetPixel(x, y).Red < 0x80);   // the title's band
        var inked = Enumerable.Range(0, 400).Where(Inked).ToList();
        Assert.NotEmpty(inked);
        Assert.True(inked.Min() >= 8 && inked.Max() <= 391, $"title ink from x = {inked.Min()} to {inked.Max()}");
    }
}
