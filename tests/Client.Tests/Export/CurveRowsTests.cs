using GradGuessCluster.Client.Export;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Export;

public class CurveRowsTests
{
    private static EpochRecord Epoch(int epoch, double? accuracy, bool diverged = false, double[]? ranks = null, double[]? layerCosine = null) =>
        new("c", epoch, diverged ? double.NaN : 1.0, accuracy, accuracy, null, layerCosine, ranks, 1, 0, 100, diverged);

    private static IReadOnlyList<CurveRow> Rows(CellState state, params EpochRecord[] records) =>
        CurveRows.From("s", [new CellCurve("c", new CellConfig("wt", "sgd", 1e-2, 0), state, records)]);

    [Fact]
    public void EvaluatedEpochs_CarryRanksAndLayerCosines_NotEvaluatedOnesAreLeftOut()
    {
        var rows = Rows(CellState.Completed, Epoch(1, null, layerCosine: [0.5]), Epoch(2, 0.5, ranks: [3, 2], layerCosine: [0.25]));
        var row = Assert.Single(rows);
        Assert.Equal(2, row.Epoch);
        Assert.Equal([3.0, 2.0], row.EffectiveRank);
        Assert.Equal([0.25], row.LayerCosine);
    }

    [Fact]
    public void EveryEpoch_KeepsTheEpochsBetweenEvaluations_WithTheirLossAndNoAccuracy()
    {
        var records = new[] { Epoch(1, null, layerCosine: [0.5]), Epoch(2, 0.5, ranks: [3, 2], layerCosine: [0.25]) };
        var rows = CurveRows.From("s", [new CellCurve("c", new CellConfig("wt", "sgd", 1e-2, 0), CellState.Completed, records)],
            everyEpoch: true);
        Assert.Equal([1, 2], rows.Select(r => r.Epoch));
        Assert.Equal((null, null, 1.0), (rows[0].TrainAccuracy, rows[0].EffectiveRank, rows[0].TrainLoss));
        Assert.Equal([0.5], rows[0].LayerCosine);
        Assert.Equal(0.5, rows[1].TrainAccuracy);
    }

    [Fact]
    public void DivergedEpoch_StoredWithAccuracies_IsExportedWithout()
    {
        // Curves stored before the trainer stopped recording them hold the NaN model's accuracy (about chance).
        var rows = Rows(CellState.Diverged, Epoch(1, 0.4), Epoch(2, 0.1, diverged: true, ranks: [double.NaN]));
        Assert.Equal(2, rows.Count);
        Assert.Equal((null, null, null, "diverged"), (rows[1].TrainAccuracy, rows[1].TestAccuracy, rows[1].EffectiveRank, rows[1].Status));
        Assert.Equal(0.4, rows[0].TrainAccuracy);
    }
}
