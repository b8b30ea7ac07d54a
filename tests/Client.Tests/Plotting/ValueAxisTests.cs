using GradGuessCluster.Client.Plotting;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary>The cosine plot's vertical axis: four round steps from 0 (or below, for negative cosines) to 5 % or more above
/// the largest value, labelled with the decimals its steps need. The loss plot's: whole decades, logarithmic. The rank
/// plot's: four round steps over the values' own range.</summary>
public sealed class ValueAxisTests
{
    [Theory]
    [InlineData(new[] { 0.003, 0.018 }, 0, 0.02, "0.000")]      // a small cosine fills the panel instead of lying flat
    [InlineData(new[] { 0.1, 0.3 }, 0, 0.32, "0.00")]
    [InlineData(new[] { 0.2, 1.0 }, 0, 1.2, "0.00")]            // backprop: exactly 1, not along the frame
    [InlineData(new[] { -0.05, 0.45 }, -0.2, 0.6, "0.00")]      // 0 on a grid line
    [InlineData(new[] { -0.3, -0.1 }, -0.32, 0, "0.00")]
    [InlineData(new double[0], 0, 1, "0.00")]
    public void Around_SpansTheValuesWithRoundEnds(double[] values, double min, double max, string format)
    {
        var axis = ValueAxis.Around(values);
        Assert.Equal(min, axis.Min, 12);
        Assert.Equal(max, axis.Max, 12);
        Assert.Equal(format, axis.Format);
        Assert.All(values, v => Assert.InRange(v, axis.Min, axis.Max));
        Assert.All(values.Where(v => v != 0), v => Assert.InRange(v, axis.Min * 0.95, axis.Max * 0.95));   // off the frame
    }

    [Fact]
    public void Around_GridLabelsAreDistinct_ForAnyRange()
    {
        var random = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            double high = Math.Pow(10, -4 + 4 * random.NextDouble());
            var axis = ValueAxis.Around([high / 3, high]);
            var labels = Enumerable.Range(0, 5).Select(k => axis.Min + k / 4.0 * (axis.Max - axis.Min)).ToList();
            var texts = labels.Select(v => v.ToString(axis.Format, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(5, texts.Distinct().Count());
            Assert.All(labels.Zip(texts), l => Assert.Equal(l.First, double.Parse(l.Second, System.Globalization.CultureInfo.InvariantCulture), 9));   // written exactly
            Assert.True(axis.Max >= 1.05 * high && axis.Max <= 1.5 * high, $"{high} → {axis.Max}");
        }
    }

    [Theory]
    [InlineData(new[] { 2.3, 0.03 }, 0.01, 10, new[] { 0.01, 0.1, 1, 10 })]
    [InlineData(new[] { 0.5, 0.12 }, 0.1, 1, new[] { 0.1, 0.2, 0.5, 1 })]              // one decade: 2× and 5× lines too
    [InlineData(new[] { 1.0, 0.3 }, 0.1, 10, new[] { 0.1, 0.2, 0.5, 1, 2, 5, 10 })]    // 1 itself sits below the top
    [InlineData(new[] { 2e-6, 3.0, double.NaN, 0, -1 }, 1e-6, 10, new[] { 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10 })]
    [InlineData(new double[0], 0.01, 10, new[] { 0.01, 0.1, 1, 10 })]
    public void Decades_SpanThePositiveValuesInWholeDecades(double[] values, double min, double max, double[] ticks)
    {
        var axis = ValueAxis.Decades(values);
        Assert.True(axis.Logarithmic);
        Assert.Equal(min, axis.Min, 12);
        Assert.Equal(max, axis.Max, 12);
        Assert.Equal(ticks.Length, axis.Ticks.Count);
        Assert.All(ticks.Zip(axis.Ticks), t => Assert.Equal(t.First, t.Second, 12));
        Assert.All(values.Where(v => v > 0 && double.IsFinite(v)), v => Assert.InRange(axis.Fraction(v), 0, 0.999));
    }

    [Fact]
    public void Decades_PlaceEachDecadeEvenly_AndLabelThemShortly()
    {
        var axis = ValueAxis.Decades([0.002, 5.0]);                         // 1e-3 .. 10: four decades
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], axis.Ticks.Select(t => Math.Round(axis.Fraction(t), 12)));
        Assert.Equal(0.5 + 0.25 * Math.Log10(3), axis.Fraction(0.3), 12);
        Assert.Equal(0, axis.Fraction(-1));                                 // clamped, not NaN
        Assert.Equal(["0.001", "0.01", "0.1", "1", "10"], axis.Ticks.Select(axis.Label));
        Assert.Equal("1e-05", ValueAxis.Decades([3e-5]).Label(1e-5));
        Assert.Equal("0.00", ValueAxis.Accuracy.Label(0));                  // a linear axis keeps its format
    }

    [Theory]
    [InlineData(new[] { 95.0, 122.0 }, 90, 130, "0")]            // ranks falling by a fifth fill the panel
    [InlineData(new[] { 9.5, 9.9 }, 9.48, 9.96, "0.00")]         // the output layer's (at most 10)
    [InlineData(new[] { 30.0, 90.0 }, 20, 100, "0")]
    [InlineData(new[] { 64.0, 64.0 }, 60, 68, "0")]              // flat: a band around it
    public void Spanning_CoversTheValuesRangeWithRoundEnds(double[] values, double min, double max, string format)
    {
        var axis = ValueAxis.Spanning(values);
        Assert.Equal((min, max, format), (Math.Round(axis.Min, 9), Math.Round(axis.Max, 9), axis.Format));
        Assert.All(values, v => Assert.InRange(v, axis.Min, axis.Max));
        Assert.True(axis.Max >= values.Max() + 0.04 * (values.Max() - values.Min()), "room above the highest value");
    }
}
