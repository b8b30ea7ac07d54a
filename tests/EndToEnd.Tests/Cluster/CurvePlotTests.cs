using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using SkiaSharp;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>The PNG renderer on hand-made curves: a real image with one curve per learning rate in each method × optimizer
/// panel (counted by colour), in panels where the layout says.</summary>
public sealed class CurvePlotTests
{
    [Fact]
    public void RenderPng_TwoMethodsTwoOptimizersThreeLrs_DrawsEachLrColourInEveryPanel()
    {
        var rows = new List<CurveRow>();
        string[] methods = ["backprop", "wt"], optimizers = ["adamw", "sgd"];
        double[] lrs = [1e-2, 1e-3, 1e-4];
        foreach (var m in methods) foreach (var o in optimizers) foreach (var (lr, i) in lrs.Select((lr, i) => (lr, i)))
            for (int epoch = 1; epoch <= 10; epoch++)
                rows.Add(new CurveRow("s", $"{m}-{o}-{i}", m, o, lr, 0, epoch, 0.1 + 0.08 * epoch * (i + 1) / 3, 0.05 + 0.07 * epoch * (i + 1) / 3,
                    1.0, null, 0.1, "completed"));
        var curves = PlotCurve.FromRows(rows, seeds: [0]);
        Assert.Equal(12, curves.Count);

        var png = CurvePlot.RenderPng("test", curves, PlotMetric.Both, 1200, 700);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((1200, 700), (bitmap.Width, bitmap.Height));
        var counts = PngCurves.CountPaletteColours(bitmap, new PlotLayout(1200, 700, 2, 2));
        Assert.Equal(4, counts.Count);
        Assert.All(counts, panel => Assert.Equal(3, panel.Value));
    }

    [Fact]
    public void RenderPng_Cosine_ScalesTheAxisToTheValues_SoASmallCosineFillsThePanel()
    {
        // A cosine rising to 0.018, as a guessing method's does: on a 0–1 axis it would lie along the bottom.
        var rows = Enumerable.Range(1, 8).Select(e => new CurveRow("s", "c", "wt", "adamw", 1e-3, 0, e, 0.5, 0.5, 1, 0.004 + 0.002 * e, 0.1, "completed"));
        var curves = PlotCurve.FromRows(rows, seeds: [0]);
        using var bitmap = SKBitmap.Decode(CurvePlot.RenderPng("t", curves, PlotMetric.Cosine, 600, 400));
        var area = new PlotLayout(600, 400, 1, 1).PlotArea(0, 0);
        var rowsWithCurve = Enumerable.Range((int)area.Top + 1, (int)area.Height - 2)
            .Where(y => Enumerable.Range((int)area.Left + 1, (int)area.Width - 2).Any(x => Close(bitmap.GetPixel(x, y), CurvePalette.For(0))))
            .ToList();
        Assert.NotEmpty(rowsWithCurve);
        // 0.006 .. 0.020 on an axis to 0.025: the curve spans most of the panel's height, up to near its top.
        Assert.True(rowsWithCurve.Min() < area.Top + 0.25 * area.Height, $"highest curve pixel at {rowsWithCurve.Min()}, area {area}");
        Assert.True(rowsWithCurve.Max() - rowsWithCurve.Min() > 0.5 * area.Height);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(1, false)]
    public void RenderPng_SeveralSeeds_ShadeTheirSpreadAroundTheMean_OneSeedDrawsNoBand(int seeds, bool band)
    {
        // Seeds 0.1 apart around 0.4 (seed 1 above): with two, mean 0.4 ± 0.0707 · 2 = 0.141.
        var rows = Enumerable.Range(0, seeds).SelectMany(seed => Enumerable.Range(1, 5).Select(e =>
            new CurveRow("s", $"c{seed}", "wt", "adamw", 1e-3, seed, e, seeds == 1 ? 0.4 : 0.3 + 0.2 * seed, 0.1, 1, null, 0.1, "completed")));
        var curves = PlotCurve.FromRows(rows, Enumerable.Range(0, seeds).ToList());
        using var bitmap = SKBitmap.Decode(CurvePlot.RenderPng("t", curves, PlotMetric.Train, 600, 400));
        var area = new PlotLayout(600, 400, 1, 1).PlotArea(0, 0);
        // Between the line (0.4) and the band's lower edge (0.26), halfway between two epoch grid lines.
        var pixel = bitmap.GetPixel((int)(area.Left + 0.5 * area.Width), (int)(area.Bottom - 0.33 * area.Height));
        var white = pixel.Red + pixel.Green + pixel.Blue >= 3 * 250;
        Assert.True(band != white, $"pixel {pixel} at 0.33: a band was {(band ? "expected" : "not expected")}");
    }

    private static bool Close(SKColor a, SKColor b) => Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue) <= 24;

    [Fact]
    public void RenderPng_TrainOnlyOneLr_DrawsOneColourAndNoOthers()
    {
        var rows = Enumerable.Range(1, 5).Select(e => new CurveRow("s", "c", "wt", "adamw", 1e-3, 0, e, 0.2 * e, 0.1 * e, 1, null, 0.1, "completed"));
        using var bitmap = SKBitmap.Decode(CurvePlot.RenderPng("t", PlotCurve.FromRows(rows, seeds: [0]), PlotMetric.Train, 600, 400));
        Assert.Equal(1, PngCurves.CountPaletteColours(bitmap, new PlotLayout(600, 400, 1, 1)).Single().Value);
    }
}
