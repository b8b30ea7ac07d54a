using GradGuessCluster.Client.Plotting;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary><c>plot --smooth N</c>: trailing means, so an accuracy curve's last point is what <c>results --window N</c> ranks.</summary>
public sealed class CurveSmoothingTests
{
    private static IReadOnlyList<PlotPoint> Series(params double[] values) =>
        values.Select((v, i) => new PlotPoint(5 * (i + 1), v, v / 10)).ToList();

    [Fact]
    public void EachPointIsTheMeanOfItsLastN_FewerAtTheStart_OnItsOwnEpoch()
    {
        var smoothed = CurveSmoothing.Trailing(Series(0.1, 0.3, 0.2, 0.6, 0.4), 3);

        Assert.Equal([5, 10, 15, 20, 25], smoothed.Select(p => p.Epoch));
        double[] expected = [0.1, 0.2, 0.2, 11 / 30.0, 0.4];
        foreach (var (p, v) in smoothed.Zip(expected))
        {
            Assert.Equal(v, p.Value, 12);
            Assert.Equal(v / 10, p.Spread, 12);   // the seeds' spread averaged alike
        }
    }

    [Fact]
    public void OnePoint_LeavesTheCurveAsItIs_AndEverySeriesIsSmoothed()
    {
        var curve = new PlotCurve("wt", "sgd", 1e-2, Series(0.5, 0.9), Series(0.4, 0.8), Series(0.1, 0.3), Series(2, 1),
            Rank: Series(100, 80), StepCosine: Series(0.2, 0.4), GradientShare: Series(0.5, 0.7));

        Assert.Same(curve, CurveSmoothing.Of(curve, 1));
        var smoothed = CurveSmoothing.Of(curve, 2);
        foreach (var series in new[] { smoothed.Train, smoothed.Test, smoothed.Cosine, smoothed.Loss, smoothed.Rank!, smoothed.StepCosine!, smoothed.GradientShare! })
            Assert.Equal(2, series.Count);
        Assert.Equal(0.7, smoothed.Train[^1].Value, 12);
        Assert.Equal(1.5, smoothed.Loss[^1].Value, 12);
        Assert.Equal(90, smoothed.Rank![^1].Value, 12);
        Assert.Equal(0.6, smoothed.GradientShare![^1].Value, 12);
    }
}
