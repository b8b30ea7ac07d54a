using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Summaries;

/// <summary><c>results --cost</c>'s figures from stored curves: a pack's time shared among its cells, medians over the
/// epochs, evaluation only where evaluated, and each row against backprop with its optimizer.</summary>
public sealed class RowCostTests
{
    private static SweepSpec Spec(params string[] methods) =>
        new("s", new DataSpec("synthetic"), new ModelSpec(), methods, ["adamw", "sgd"], [1e-2, 1e-3], [0], 3);

    private static EpochRecord Epoch(string cell, int epoch, double seconds, double evalSeconds) =>
        new(cell, epoch, 1.0, evalSeconds > 0 ? 0.5 : null, null, null, null, null, seconds, evalSeconds, 64, false);

    /// <summary>A cell of <paramref name="method"/> × <paramref name="optimizer"/> whose epochs took
    /// <paramref name="seconds"/> to train and <paramref name="evalSeconds"/> to evaluate.</summary>
    private static (CellStatus Status, CellCurve Curve) Cell(string id, string pack, string method, string optimizer, double lr,
        double[] seconds, double[] evalSeconds)
    {
        var config = new CellConfig(method, optimizer, lr, 0);
        var records = seconds.Select((s, i) => Epoch(id, i + 1, s, evalSeconds[i])).ToList();
        return (new CellStatus(id, pack, config, CellState.Completed, records.Count, 3, null, null, null, null, null, null),
            new CellCurve(id, config, CellState.Completed, records));
    }

    private static IReadOnlyList<RowCost> Costs(SweepSpec spec, params (CellStatus Status, CellCurve Curve)[] cells) =>
        RowCost.Of(spec, new SweepStatus("s", SweepState.Completed, 3, [.. cells.Select(c => c.Status)], DateTimeOffset.UnixEpoch, null),
            [.. cells.Select(c => c.Curve)]);

    [Fact]
    public void APacksTime_IsSharedAmongItsCells_AndEachEpochIsTheMedianOverTheRowsEpochs()
    {
        // Backprop × adamw: two rates in one pack (each epoch's time counted half per cell); W^T × adamw: a pack per rate.
        var costs = Costs(Spec("backprop", "wt"),
            Cell("b1", "p1", "backprop", "adamw", 1e-2, [2.0, 2.2, 9.0], [1.0, 0, 1.0]),
            Cell("b2", "p1", "backprop", "adamw", 1e-3, [2.0, 2.2, 9.0], [1.0, 0, 1.0]),
            Cell("w1", "p2", "wt", "adamw", 1e-2, [1.5, 1.6, 1.7], [0.4, 0.4, 0.4]),
            Cell("w2", "p3", "wt", "adamw", 1e-3, [1.4, 1.5, 8.0], [0.4, 0.5, 0.4]));

        Assert.Equal([("backprop", "adamw"), ("backprop", "sgd"), ("wt", "adamw"), ("wt", "sgd")], costs.Select(c => (c.Method, c.Optimizer)));
        var (backprop, wt) = (costs[0], costs[2]);
        Assert.Equal((2, 6L), (backprop.Cells, backprop.CellEpochs));
        Assert.Equal(1.1, backprop.EpochSeconds!.Value, 12);             // halves of 2, 2, 2.2, 2.2, 9, 9: median 1.1
        Assert.Equal(0.5, backprop.EvaluationSeconds!.Value, 12);        // the evaluated epochs only
        Assert.Equal(2 * (2.0 + 2.2 + 9.0 + 2.0) / 2, backprop.Seconds, 12);
        Assert.Equal(1.55, wt.EpochSeconds!.Value, 12);                  // 1.4, 1.5, 1.5, 1.6, 1.7, 8: a slow epoch moves no median
        Assert.Equal(0.4, wt.EvaluationSeconds!.Value, 12);
        Assert.Equal(1.55 / 1.1, wt.VersusBackprop!.Value, 12);
        Assert.Equal(1.0, backprop.VersusBackprop);
        // A row with nothing recorded yet: no times, no ratio.
        Assert.Equal((0, 0L, (double?)null, (double?)null, 0.0, (double?)null),
            (costs[3].Cells, costs[3].CellEpochs, costs[3].EpochSeconds, costs[3].EvaluationSeconds, costs[3].Seconds, costs[3].VersusBackprop));
    }

    [Fact]
    public void WithoutBackprop_NoRowHasARatio_AndACellTheStatusDoesNotList_IsAPackOfItsOwn()
    {
        var (_, curve) = Cell("w1", "p1", "wt", "sgd", 1e-2, [3.0], [1.0]);
        var costs = RowCost.Of(Spec("wt"), new SweepStatus("s", SweepState.Running, 3, [], DateTimeOffset.UnixEpoch, null), [curve]);

        Assert.All(costs, c => Assert.Null(c.VersusBackprop));
        Assert.Equal((3.0, 4.0), (costs[1].EpochSeconds!.Value, costs[1].Seconds));
    }
}
