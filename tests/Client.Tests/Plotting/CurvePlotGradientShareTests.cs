using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary><c>plot --metric gradient-share --layer N</c>: one layer's fraction of the true gradient's squared norm, where
/// sampled, on the 0–1 axis every panel shares.</summary>
public sealed class CurvePlotGradientShareTests
{
    /// <summary>Rows whose output layer (of three) holds a share rising from 0.2 to 0.8 over 20 epochs; epochs 3 and 4 sampled
    /// no step.</summary>
    private static IEnumerable<CurveRow> Rows(string method, double scale = 1) => Enumerable.Range(1, 20).Select(e =>
    {
        double output = scale * (0.2 + 0.6 * (e - 1) / 19.0);
        return new CurveRow("s", "c", method, "adamw", 1e-3, 0, e, null, null, 1.0, e is 3 or 4 ? null : 0.1, 0.1, "completed",
            LayerGradientShare: e is 3 or 4 ? null : [(1 - output) / 2, (1 - output) / 2, output]);
    });

    [Fact]
    public void FromRows_TakesTheChosenLayer_AtTheSampledEpochs()
    {
        var output = Assert.Single(PlotCurve.FromRows(Rows("wt"), seeds: [0], layer: 2));
        Assert.Equal(Enumerable.Range(1, 20).Where(e => e is not (3 or 4)), output.GradientShare!.Select(p => p.Epoch));
        Assert.Equal(0.8, output.GradientShare!.Single(p => p.Epoch == 20).Value, 12);
        var input = Assert.Single(PlotCurve.FromRows(Rows("wt"), seeds: [0]));
        Assert.Equal(0.1, input.GradientShare!.Single(p => p.Epoch == 20).Value, 12);
        Assert.Empty(Assert.Single(PlotCurve.FromRows(Rows("wt"), seeds: [0], layer: 3)).GradientShare!);   // no such layer
        Assert.Equal([(output.GradientShare!, false)], output.Series(PlotMetric.GradientShare));
    }

    [Fact]
    public void Share_IsDrawnWhereItsValueLies_OnTheZeroToOneAxis()
    {
        // Two panels whose shares differ by half: on one 0-1 axis, not each fitted to its own range.
        var curves = PlotCurve.FromRows(Rows("wt").Concat(Rows("backprop", scale: 0.5)), seeds: [0], layer: 2);
        Assert.Equal(ValueAxis.Accuracy, CurvePlot.RowAxis(PlotMetric.GradientShare, curves, "backprop"));
        using var bitmap = SKBitmap.Decode(CurvePlot.RenderPng("t", curves, PlotMetric.GradientShare, 800, 700));
        var layout = new PlotLayout(800, 700, 2, 1);
        foreach (var (row, expectedShare) in new[] { (0, 0.8), (1, 0.4) })   // epoch 20: wt, then backprop
        {
            var area = layout.PlotArea(row, 0);
            int x = (int)(area.Right - 2);
            var ys = Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Where(y => PngCurves.Near(bitmap.GetPixel(x, y), CurvePalette.For(0))).ToList();
            Assert.NotEmpty(ys);
            double expected = area.Bottom - expectedShare * area.Height;
            Assert.InRange(ys.Average(), expected - 4, expected + 4);
        }
    }
}
