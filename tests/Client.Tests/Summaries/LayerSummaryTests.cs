using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Summaries;

/// <summary><c>diagnostics --layers</c>: each linear layer's cosines and shares over a cell's first and last window,
/// the step's overlap Σ √(a·b), and the rows the table shows.</summary>
public class LayerSummaryTests
{
    /// <summary>Epoch e of a two-layer net: layer cosines [e/100, −e/100], step cosines a third of those, gradient shares
    /// [e/10, 1 − e/10], step shares [0.9, 0.1], the guess's [0.5, 0.5].</summary>
    private static EpochRecord Epoch(int e, bool diverged = false) =>
        new("c", e, 1.0 / e, null, null, e / 100.0, diverged ? [double.NaN, double.NaN] : [e / 100.0, -e / 100.0], null, 1, 0, 64, diverged,
            StepCosine: e / 300.0,
            LayerStepCosine: diverged ? [double.NaN, double.NaN] : [e / 300.0, -e / 300.0],
            LayerGradientShare: diverged ? [double.NaN, double.NaN] : [e / 10.0, 1 - e / 10.0],
            LayerUpdateShare: [0.5, 0.5],
            LayerStepShare: diverged ? [double.NaN, double.NaN] : [0.9, 0.1]);

    private static CellSummary Summary(IEnumerable<EpochRecord> records, int window, CellState state = CellState.Completed) =>
        CellSummary.From(new CellCurve("c", new CellConfig("downstream", "adamw", 1e-3, 1), state, records.ToList()), window);

    [Fact]
    public void EachLayer_IsAveragedOverTheFirstAndLastWindow()
    {
        var s = Summary(Enumerable.Range(1, 8).Select(e => Epoch(e)), window: 2);

        Assert.Equal([0, 1], s.Layers.Select(l => l.Layer));
        var (input, output) = (s.Layers[0], s.Layers[1]);
        Assert.Equal(0.015, input.CosineFirst!.Value, 12);      // epochs 1 and 2
        Assert.Equal(0.075, input.CosineLast!.Value, 12);       // epochs 7 and 8
        Assert.Equal(-0.025, output.StepCosineLast!.Value, 12);
        Assert.Equal(0.15, input.GradientShareFirst!.Value, 12);
        Assert.Equal(0.25, output.GradientShareLast!.Value, 12);
        Assert.Equal((0.5, 0.1), (output.UpdateShareLast!.Value, output.StepShareLast!.Value));
        // Σ √(a·b): first √(0.15·0.9) + √(0.85·0.1), last √(0.75·0.9) + √(0.25·0.1).
        Assert.Equal(Math.Sqrt(0.15 * 0.9) + Math.Sqrt(0.85 * 0.1), s.StepOverlapFirst!.Value, 12);
        Assert.Equal(Math.Sqrt(0.75 * 0.9) + Math.Sqrt(0.25 * 0.1), s.StepOverlapLast!.Value, 12);
    }

    [Fact]
    public void ADivergedEpochsNaN_IsLeftOut_AndCurvesWithoutLayerFiguresHaveNoLayers()
    {
        var s = Summary(Enumerable.Range(1, 3).Select(e => Epoch(e)).Append(Epoch(4, diverged: true)), window: 2, CellState.Diverged);
        Assert.Equal(0.03, s.Layers[0].CosineLast!.Value, 12);   // epochs 3 and 4: 4's NaN left out
        Assert.Equal(0.3, s.Layers[0].GradientShareLast!.Value, 12);

        // Recorded before the step's figures were: the layer cosines alone, and no overlap.
        var older = Summary(Enumerable.Range(1, 4).Select(e => Epoch(e) with { LayerStepCosine = null, LayerGradientShare = null, LayerUpdateShare = null, LayerStepShare = null }), 2);
        Assert.Equal(2, older.Layers.Count);
        Assert.Null(older.Layers[1].StepCosineLast);
        Assert.Null(older.StepOverlapLast);

        var none = Summary(Enumerable.Range(1, 4).Select(e => Epoch(e) with { LayerCosine = null, LayerStepCosine = null }), 2);
        Assert.Empty(none.Layers);
        Assert.Empty(LayerSummaryTable.Rows([none]));
    }

    [Fact]
    public void TheRows_AreOnePerLayerThenAllOfTheCell_ItsNameOnItsFirstRowOnly()
    {
        var s = Summary(Enumerable.Range(1, 8).Select(e => Epoch(e)), window: 2);

        var rows = LayerSummaryTable.Rows([s, s]).ToList();

        Assert.Equal(6, rows.Count);
        Assert.Equal(["downstream", "adamw", "1e-3", "1", "0", "0.015 → 0.075", "0.005 → 0.025", "0.15 → 0.75", "0.90 → 0.90", ""], rows[0]);
        Assert.Equal(["", "", "", "", "1", "-0.015 → -0.075", "-0.005 → -0.025", "0.85 → 0.25", "0.10 → 0.10", ""], rows[1]);
        Assert.Equal(["", "", "", "", "all", "0.015 → 0.075", "0.005 → 0.025", "", "", "0.66 → 0.98"], rows[2]);
        Assert.Equal("downstream", rows[3][0]);
        var markdown = LayerSummaryTable.MarkdownLines([s]).ToList();
        Assert.Equal(5, markdown.Count);
        Assert.Equal("| downstream | adamw | 1e-3 | 1 | 0 | 0.015 → 0.075 | 0.005 → 0.025 | 0.15 → 0.75 | 0.90 → 0.90 |  |", markdown[2]);
    }
}
