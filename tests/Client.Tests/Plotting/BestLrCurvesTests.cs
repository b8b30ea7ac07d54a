using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Plotting;

public sealed class BestLrCurvesTests
{
    private static PlotCurve Curve(string method, string optimizer, double lr) => new(method, optimizer, lr, [new(1, 0.5, 0)], [new(1, 0.4, 0)], [], []);

    [Fact]
    public void Of_KeepsEachPairsBestLearningRate_TaggedWithTheSweep()
    {
        PlotCurve[] curves = [Curve("wt", "adamw", 1e-2), Curve("wt", "adamw", 1e-3), Curve("wt", "sgd", 1e-2), Curve("wt", "sgd", 1e-3),
            Curve("backprop", "adamw", 1e-3)];
        var results = new SweepResults("a", SweepState.Running, new SelectionSpec(),
        [
            new ResultRow("wt", "adamw", 1e-3, 0.6, 0.5, false, 2, 2, null),
            new ResultRow("wt", "sgd", 1e-2, 0.3, 0.3, true, 2, 2, null),
            new ResultRow("backprop", "adamw", null, null, null, false, 0, 2, "no cell finished yet"),
        ]);

        var best = BestLrCurves.Of("a", curves, results).ToList();

        Assert.Equal([("wt", "adamw", 1e-3), ("wt", "sgd", 1e-2)], best.Select(c => (c.Method, c.Optimizer, c.Lr)));
        Assert.All(best, c => Assert.Equal("a", c.Sweep));
    }

    [Fact]
    public void WhyNone_SaysTheRowsReasonWhereTheyShareOne_ElseWhereToReadThem()
    {
        // plot --against said "no cell has finished" of a sweep whose every learning rate had diverged.
        ResultRow Row(string optimizer, string? note) => new("wt", optimizer, null, null, null, false, 4, 4, note);
        var diverged = new SweepResults("a", SweepState.Completed, new SelectionSpec(), [Row("adamw", "all learning rates diverged"), Row("sgd", "all learning rates diverged")]);
        var mixed = diverged with { Rows = [Row("adamw", "all learning rates diverged"), Row("sgd", "no learning rate completed; 4 learning rates failed or cancelled")] };

        Assert.Equal("all learning rates diverged", BestLrCurves.WhyNone(diverged));
        Assert.Contains("`results` says why for each", BestLrCurves.WhyNone(mixed));
        // A row with a best learning rate whose curves gave nothing: not "no learning rate completed".
        var won = diverged with { Rows = [Row("adamw", null) with { BestLearningRate = 1e-3, TrainAccuracy = 0.9, TestAccuracy = 0.8 }, Row("sgd", "all learning rates diverged")] };
        Assert.StartsWith("its best learning rates' curves have no point to plot", BestLrCurves.WhyNone(won));
    }
}
