using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary>The seed band (mean ± standard deviation) fits the axis: axes fitted to the means alone cut it off.</summary>
public sealed class CurvePlotBandTests
{
    /// <summary>Two seeds far apart every epoch: cosines 0.05 and 0.5, losses 0.0196 and 0.0904 (mean 0.055, a band from
    /// 0.005 to 0.105, past both ends of the means' decade), ranks 10 and 100.</summary>
    private static IReadOnlyList<PlotCurve> TwoSeeds() => PlotCurve.FromRows(Enumerable.Range(1, 10).SelectMany(e => new[] { 0, 1 }.Select(seed =>
        new CurveRow("s", $"c{seed}", "wt", "adamw", 1e-3, seed, e, 0.5, 0.5, seed == 0 ? 0.0196 : 0.0904, seed == 0 ? 0.05 : 0.5, 0.1, "completed",
            EffectiveRank: [seed == 0 ? 10.0 : 100.0]))), seeds: [0, 1]);

    [Theory]
    [InlineData(PlotMetric.Cosine)]
    [InlineData(PlotMetric.Loss)]
    [InlineData(PlotMetric.Rank)]
    public void TheAxis_ReachesTheBandsEdges(PlotMetric metric)
    {
        var curves = TwoSeeds();
        var points = Assert.Single(Assert.Single(curves).Series(metric)).Points;
        Assert.All(points, p => Assert.True(p.Spread > 0));

        var axis = CurvePlot.RowAxis(metric, curves, "wt");

        // A log axis (losses) takes the upper edges only: a lower edge near 0 would pull every panel down by decades.
        foreach (var edge in points.SelectMany(p => axis.Logarithmic ? [p.Value + p.Spread] : new[] { p.Value - p.Spread, p.Value + p.Spread }))
            Assert.InRange(edge, axis.Min, axis.Max);
        if (axis.Logarithmic) Assert.Equal(0.01, axis.Min, 9);   // the means' decade, though the band reaches 0.005
    }
}
