using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary><c>plot --metric rank --layer N</c>: one weight matrix's effective rank, where the sweep computed it, on one
/// axis over the ranks' range shared by every panel.</summary>
public sealed class CurvePlotRankTests
{
    /// <summary>Rows whose input matrix's rank falls from 100 to 60 over 20 epochs, the next one's from 50 to 30; epochs
    /// 1-4 have no rank (computed at evaluations only).</summary>
    private static IEnumerable<CurveRow> Rows(string method) => Enumerable.Range(1, 20).Select(e =>
        new CurveRow("s", "c", method, "adamw", 1e-3, 0, e, 0.5, 0.5, 1.0, null, 0.1, "completed",
            EffectiveRank: e < 5 ? null : [100 - 2.0 * e, 50 - 1.0 * e, 9]));

    [Fact]
    public void FromRows_TakesTheChosenMatrix_AtTheEpochsWithARank()
    {
        var first = Assert.Single(PlotCurve.FromRows(Rows("wt"), seeds: [0]));
        Assert.Equal(Enumerable.Range(5, 16), first.Rank!.Select(p => p.Epoch));
        Assert.Equal(90, first.Rank!.Single(p => p.Epoch == 5).Value);
        var second = Assert.Single(PlotCurve.FromRows(Rows("wt"), seeds: [0], layer: 1));
        Assert.Equal(45, second.Rank!.Single(p => p.Epoch == 5).Value);
        Assert.Empty(Assert.Single(PlotCurve.FromRows(Rows("wt"), seeds: [0], layer: 3)).Rank!);   // no such matrix
        Assert.Equal([(second.Rank!, false)], second.Series(PlotMetric.Rank));
    }

    [Fact]
    public void Rank_IsDrawnWhereItsValueLies_OnAnAxisOverTheRanksRangeSharedByEveryPanel()
    {
        var curves = PlotCurve.FromRows(Rows("wt").Concat(Rows("backprop").Select(r => r with { Method = "backprop", EffectiveRank = r.EffectiveRank?.Select(v => v / 2).ToArray() })),
            seeds: [0]);
        // Ranks from 30 to 90: an axis over their range, not from 0, so that a fall of a fifth is not drawn flat.
        var axis = ValueAxis.Spanning(curves.SelectMany(c => c.Rank!).Select(p => p.Value));
        Assert.Equal(["20", "40", "60", "80", "100"], axis.Ticks.Select(axis.Label));
        using var bitmap = SKBitmap.Decode(CurvePlot.RenderPng("t", curves, PlotMetric.Rank, 800, 700));
        var layout = new PlotLayout(800, 700, 2, 1);
        foreach (var (row, half) in new[] { (0, 1.0), (1, 0.5) })   // wt, then backprop (halved ranks), as in the rows' order
        {
            var area = layout.PlotArea(row, 0);
            int x = (int)(area.Left + 0.5 * area.Width);   // epoch 10: rank 80 (wt), 40 (backprop)
            var ys = Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Where(y => PngCurves.Near(bitmap.GetPixel(x, y), CurvePalette.For(0))).ToList();
            Assert.NotEmpty(ys);
            double expected = area.Bottom - axis.Fraction(80 * half) * area.Height;
            Assert.InRange(ys.Average(), expected - 4, expected + 4);
        }
    }
}
