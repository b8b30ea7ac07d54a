using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary><c>plot --metric cosine|step-cosine --layer N</c>: one layer's cosine instead of the one over all parameters.</summary>
public sealed class CurvePlotLayerCosineTests
{
    private static IEnumerable<CurveRow> Rows() => Enumerable.Range(1, 5).Select(e =>
        new CurveRow("s", "c", "wt", "adamw", 1e-3, 0, e, null, null, 1.0, 0.1 * e, 0.1, "completed",
            LayerCosine: [0.2 * e, 0.3 * e, 0.4 * e], StepCosine: 0.05 * e, LayerStepCosine: [0.01 * e, 0.02 * e, 0.03 * e]));

    [Fact]
    public void WithoutALayer_TheCosinesAreOverAllParameters_WithOne_ThatLayers()
    {
        var overall = Assert.Single(PlotCurve.FromRows(Rows(), seeds: [0]));
        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5], overall.Cosine.Select(p => Math.Round(p.Value, 12)));
        Assert.Equal([0.05, 0.1, 0.15, 0.2, 0.25], overall.StepCosine!.Select(p => Math.Round(p.Value, 12)));

        var middle = Assert.Single(PlotCurve.FromRows(Rows(), seeds: [0], layer: 1));
        Assert.Equal([0.3, 0.6, 0.9, 1.2, 1.5], middle.Cosine.Select(p => Math.Round(p.Value, 12)));
        Assert.Equal([0.02, 0.04, 0.06, 0.08, 0.1], middle.StepCosine!.Select(p => Math.Round(p.Value, 12)));
        Assert.Equal([(middle.Cosine, false)], middle.Series(PlotMetric.Cosine));

        var none = Assert.Single(PlotCurve.FromRows(Rows(), seeds: [0], layer: 3));   // depth 2: layers 0 to 2
        Assert.Empty(none.Cosine);
        Assert.Empty(none.StepCosine!);
    }
}
