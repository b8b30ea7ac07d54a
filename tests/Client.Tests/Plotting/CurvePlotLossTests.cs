using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary><c>plot --metric loss</c>: the training loss on a logarithmic axis, so a loss that falls by a constant factor
/// per epoch is a straight line across the panel instead of a drop to the bottom after its first epochs.</summary>
public sealed class CurvePlotLossTests
{
    [Fact]
    public void Loss_FallingTenfoldEveryTenEpochs_IsDrawnAsAStraightLine()
    {
        // 2.3 at epoch 0 down to 0.023 at epoch 20 (the axis: 0.01 to 10).
        var rows = Enumerable.Range(0, 21).Select(e =>
            new CurveRow("s", "c", "wt", "adamw", 1e-3, 0, e, 0.5, 0.5, 2.3 * Math.Pow(10, -e / 10.0), null, 0.1, "completed"));
        var curves = PlotCurve.FromRows(rows, seeds: [0]);
        using var bitmap = SKBitmap.Decode(CurvePlot.RenderPng("t", curves, PlotMetric.Loss, 800, 500));
        var area = new PlotLayout(800, 500, 1, 1).PlotArea(0, 0);
        var axis = ValueAxis.Decades([2.3, 0.023]);

        foreach (var at in new[] { 0.25, 0.5, 0.75 })
        {
            int x = (int)(area.Left + at * area.Width);
            var ys = Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Where(y => PngCurves.Near(bitmap.GetPixel(x, y), CurvePalette.For(0))).ToList();
            Assert.NotEmpty(ys);
            double expected = area.Bottom - axis.Fraction(2.3 * Math.Pow(10, -20 * at / 10)) * area.Height;
            // On a linear 0–10 axis the loss at 25 % of the epochs (0.73) would lie 7 % above the bottom; here 62 %.
            Assert.InRange(ys.Average(), expected - 4, expected + 4);
        }
    }

    [Fact]
    public void Loss_OfADivergedEpoch_IsLeftOut_AndTheAxisFitsTheRest()
    {
        var rows = Enumerable.Range(1, 5).Select(e => new CurveRow("s", "c", "wt", "sgd", 1e-2, 0, e, 0.5, 0.5,
            e == 5 ? double.NaN : 1.0 / e, null, 0.1, e == 5 ? "diverged" : "completed"));
        var curve = Assert.Single(PlotCurve.FromRows(rows, seeds: [0]));
        Assert.Equal([1, 2, 3, 4], curve.Loss.Select(p => p.Epoch));
        Assert.Equal([(curve.Loss, false)], curve.Series(PlotMetric.Loss));
        using var bitmap = SKBitmap.Decode(CurvePlot.RenderPng("t", [curve], PlotMetric.Loss, 600, 400));
        Assert.Equal(1, PngCurves.CountPaletteColours(bitmap, new PlotLayout(600, 400, 1, 1)).Single().Value);
    }
}
