using GradGuessCluster.Client.Plotting;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary>The legend's swatches wrap onto a second line rather than run into the band's note.</summary>
public sealed class LegendSwatchTests
{
    private static float Measure(string text) => 7 * text.Length;

    [Fact]
    public void SwatchesThatFit_StayOnOneLine_InOrder()
    {
        var rows = PlotFrame.SwatchRows(["lr=1e-2", "lr=1e-3", "lr=1e-4"], 1000, Measure);
        Assert.Equal([0, 1, 2], Assert.Single(rows));
    }

    [Fact]
    public void EighteenRates_WrapIntoLines_NoneWiderThanTheBand()
    {
        string[] labels = [.. Enumerable.Range(0, 18).Select(i => $"lr={i}e-3")];
        const float width = 1000;

        var rows = PlotFrame.SwatchRows(labels, width, Measure);

        Assert.True(rows.Count >= 2, $"{rows.Count} line(s)");
        Assert.Equal(Enumerable.Range(0, 18), rows.SelectMany(r => r));   // every label once, in palette order
        // A swatch and its label is 30 + 7 × 7 px, then 24 px of space before the next: the last one's space is not needed.
        Assert.All(rows, r => Assert.True(r.Count * (30 + 49 + 24) - 24 <= width, $"{r.Count} swatches"));
        Assert.Single(PlotFrame.SwatchRows([new string('x', 400)], width, Measure));   // wider than the band alone: its own line
    }
}
