using GradGuessCluster.Client.Plotting;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces.Contracts;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary><c>plot --rates</c>: accuracy against learning rate, read back from the PNG's pixels.</summary>
public sealed class RatesPlotTests
{
    private static readonly double[] Grid = [1e-2, 1e-3, 1e-4];

    [Fact]
    public void Position_PutsTheGridsRatesOnALogScale_WithHalfTheNarrowestGapClearAtEachSide()
    {
        foreach (var (lr, expected) in Grid.Zip(new[] { 5.0 / 6, 0.5, 1.0 / 6 })) Assert.Equal(expected, RatesPlot.Position(Grid, lr), 12);
        Assert.Equal(0.5, RatesPlot.Position([3e-4], 3e-4), 12);
        // Uneven gaps: the narrowest sets the margin (1e-3 and 3e-3 are 0.477 decades apart).
        Assert.Equal(0.2385 / (2 + 0.477), RatesPlot.Position([1e-1, 3e-3, 1e-3], 1e-3), 3);
    }

    [Fact]
    public void EachScore_IsDrawnAtItsRateAndAccuracy_ADivergedRateAsACrossAtTheFoot()
    {
        var series = new RateSeries("wt", "adamw", Test: false,
            [new RateScore(1e-2, RateOutcome.Diverged), new RateScore(1e-3, RateOutcome.Scored, 0.8), new RateScore(1e-4, RateOutcome.Scored, 0.2)], Best: 1e-3);
        using var bitmap = SKBitmap.Decode(RatesPlot.RenderPng("t", [series], 800, 500));
        var area = new PlotLayout(800, 500, 1, 1).PlotArea(0, 0);

        foreach (var (lr, score) in new[] { (1e-3, 0.8), (1e-4, 0.2) })
        {
            var ys = Coloured(bitmap, area, X(area, lr));
            Assert.NotEmpty(ys);
            double expected = area.Bottom - score * area.Height;
            Assert.InRange(ys.Average(), expected - 9, expected + 9);   // the dot, and the best's ring around it
        }
        // The diverged rate: a cross at the foot of the panel, and no line to it from 1e-3.
        var foot = Coloured(bitmap, area, X(area, 1e-2));
        Assert.NotEmpty(foot);
        Assert.All(foot, y => Assert.InRange(y, area.Bottom - 14, area.Bottom));
        Assert.Empty(Coloured(bitmap, area, (X(area, 1e-3) + X(area, 1e-2)) / 2));
        // Halfway between the two scored rates the line runs at their mean height (straight on the log axis).
        var mid = Coloured(bitmap, area, (X(area, 1e-3) + X(area, 1e-4)) / 2);
        Assert.InRange(mid.Average(), area.Bottom - 0.5 * area.Height - 3, area.Bottom - 0.5 * area.Height + 3);
    }

    [Fact]
    public void MethodsThatDivergedAtOneRate_StackTheirCrosses_OnePerMethod_FromTheFoot()
    {
        RateSeries Line(string method, bool test) => new(method, "sgd", test,
            [new RateScore(1e-2, RateOutcome.Diverged), new RateScore(1e-3, RateOutcome.Scored, 0.9), new RateScore(1e-4, RateOutcome.Scored, 0.9)], 1e-3);
        // backprop's train and test lines share one cross; wt's goes above it.
        using var bitmap = SKBitmap.Decode(RatesPlot.RenderPng("t", [Line("backprop", false), Line("backprop", true), Line("wt", false)], 800, 500));
        var area = new PlotLayout(800, 500, 1, 1).PlotArea(0, 0);
        int x = X(area, 1e-2);

        var first = Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Where(y => PngCurves.Near(bitmap.GetPixel(x, y), CurvePalette.For(0))).ToList();
        var second = Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Where(y => PngCurves.Near(bitmap.GetPixel(x, y), CurvePalette.For(1))).ToList();
        Assert.NotEmpty(first);
        Assert.All(first, y => Assert.InRange(y, area.Bottom - 14, area.Bottom - 2));
        Assert.NotEmpty(second);
        Assert.All(second, y => Assert.InRange(y, area.Bottom - 28, area.Bottom - 16));
    }

    [Fact]
    public void ARateWithoutAScore_BreaksTheLine_RatherThanJoiningItsNeighbours()
    {
        var series = new RateSeries("wt", "adamw", Test: false,
            [new RateScore(1e-2, RateOutcome.Scored, 0.5), new RateScore(1e-3, RateOutcome.Failed), new RateScore(1e-4, RateOutcome.Scored, 0.5)], Best: 1e-2);
        using var bitmap = SKBitmap.Decode(RatesPlot.RenderPng("t", [series], 800, 500));
        var area = new PlotLayout(800, 500, 1, 1).PlotArea(0, 0);

        Assert.NotEmpty(Coloured(bitmap, area, X(area, 1e-2)));
        Assert.Empty(Coloured(bitmap, area, X(area, 1e-3)));
    }

    [Fact]
    public void EachOptimizer_HasItsPanel_AndEachMethod_ItsColour()
    {
        RateSeries Line(string method, string optimizer, double score) =>
            new(method, optimizer, false, Grid.Select(lr => new RateScore(lr, RateOutcome.Scored, score)).ToList(), 1e-2);
        var series = new[] { Line("backprop", "sgd", 0.9), Line("wt", "sgd", 0.3), Line("backprop", "adamw", 0.6) };
        using var bitmap = SKBitmap.Decode(RatesPlot.RenderPng("t", series, 1000, 500));
        var layout = new PlotLayout(1000, 500, 1, 2);

        Assert.Equal(2, PngCurves.CountPaletteColours(bitmap, layout)[(0, 0)]);   // sgd: backprop and wt
        Assert.Equal(1, PngCurves.CountPaletteColours(bitmap, layout)[(0, 1)]);   // adamw: backprop
        var adamw = layout.PlotArea(0, 1);
        var ys = Coloured(bitmap, adamw, X(adamw, 1e-3));
        Assert.InRange(ys.Average(), adamw.Bottom - 0.6 * adamw.Height - 4, adamw.Bottom - 0.6 * adamw.Height + 4);
    }

    [Fact]
    public void EachPanel_SpansItsOwnRates()
    {
        // sgd's rows train up to 1e+0 (rowRates); adamw's only the grid: its axis is the grid's, not stretched to 1e+0.
        var sgd = new RateSeries("backprop", "sgd", false, [.. ((double[])[1.0, 1e-1, .. Grid]).Select(lr => new RateScore(lr, RateOutcome.Scored, 0.5))], 1.0);
        var adamw = new RateSeries("backprop", "adamw", false, [.. Grid.Select(lr => new RateScore(lr, RateOutcome.Scored, 0.5))], 1e-2);
        using var bitmap = SKBitmap.Decode(RatesPlot.RenderPng("t", [sgd, adamw], 1000, 500));
        var area = new PlotLayout(1000, 500, 1, 2).PlotArea(0, 1);
        Assert.NotEmpty(Coloured(bitmap, area, X(area, 1e-2)));   // at the grid's own right end, as a panel of the grid alone
    }

    [Fact]
    public void Labels_GoWhereTheyFit_DecadesFirst_NoneOverlapping()
    {
        double[] refined = [1e-5, 1e-4, 2e-4, 3e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 2e-2, 3e-2, 5e-2, 1e-1, 3e-1, 1.0];
        static float Measure(string text) => 7 * text.Length;

        Assert.Equal([1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0], RatesPlot.Labelled(refined, 250, Measure));   // room for the decades only
        Assert.Contains(3e-3, RatesPlot.Labelled(refined, 400, Measure));
        var wide = RatesPlot.Labelled(refined, 2000, Measure);
        Assert.Equal(refined, wide);
        foreach (var width in new[] { 250f, 400f, 800f, 1200f })
        {
            // Centred labels of 4 characters (1e-3) at 7 px each: neighbours at least 28 px apart.
            var xs = RatesPlot.Labelled(refined, width, Measure).Select(lr => RatesPlot.Position(refined, lr) * width).ToList();
            Assert.All(xs.Zip(xs.Skip(1)), p => Assert.True(p.Second - p.First >= 7 * 4, $"{width}: {p.First} {p.Second}"));
        }
        Assert.Equal(Grid.Order(), RatesPlot.Labelled(Grid, 400, Measure));
    }

    private static int X(SKRect area, double lr) => (int)Math.Round(area.Left + RatesPlot.Position(Grid, lr) * area.Width);

    /// <summary>The rows of column <paramref name="x"/> inside <paramref name="area"/> drawn in the first method's colour.</summary>
    private static List<int> Coloured(SKBitmap bitmap, SKRect area, int x) =>
        Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Where(y => PngCurves.Near(bitmap.GetPixel(x, y), CurvePalette.For(0))).ToList();
}
