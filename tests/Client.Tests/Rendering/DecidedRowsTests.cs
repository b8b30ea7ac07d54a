using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Rendering;

public sealed class DecidedRowsTests
{
    private static CellStatus Cell(string method, double lr, CellState state) =>
        new($"{method}-{lr}", "p", new CellConfig(method, "sgd", lr, 0), state, 1, 2, null, null, null, null, null, null);

    private static SweepStatus Status(SweepState state, params CellStatus[] cells) => new("s", state, 2, cells, DateTimeOffset.UnixEpoch, null);

    [Fact]
    public void ARowIsNewsOnce_WhenItsLastCellEnds_ADivergedCellEndingItToo_AndAFailedOneNot()
    {
        var rows = new DecidedRows();
        Assert.Empty(rows.Newly(Status(SweepState.Running, Cell("backprop", 1e-1, CellState.Completed), Cell("backprop", 1e-2, CellState.Running),
            Cell("wt", 1e-1, CellState.Failed), Cell("wt", 1e-2, CellState.Completed))));
        Assert.Equal([("backprop", "sgd")], rows.Newly(Status(SweepState.Running, Cell("backprop", 1e-1, CellState.Completed),
            Cell("backprop", 1e-2, CellState.Diverged), Cell("wt", 1e-1, CellState.Failed), Cell("wt", 1e-2, CellState.Completed))));
        Assert.Empty(rows.Newly(Status(SweepState.Running, Cell("backprop", 1e-1, CellState.Completed),
            Cell("backprop", 1e-2, CellState.Diverged), Cell("wt", 1e-1, CellState.Running), Cell("wt", 1e-2, CellState.Completed))));
    }

    [Fact]
    public void RowsFinalAtTheFirstStatus_OrAtTheSweepsEnd_AreNotNews()
    {
        var rows = new DecidedRows();
        Assert.Empty(rows.Newly(Status(SweepState.Running, Cell("backprop", 1e-1, CellState.Completed), Cell("wt", 1e-1, CellState.Running))));
        Assert.Empty(rows.Newly(Status(SweepState.Completed, Cell("backprop", 1e-1, CellState.Completed), Cell("wt", 1e-1, CellState.Completed))));
    }

    [Fact]
    public void TheLine_SaysThePickItsAccuraciesAndLead_OrWhyThereIsNone()
    {
        var row = new ResultRow("wt", "adamw", 1e-3, 0.7565, 0.7493, false, 4, 4, null, RunnerUpLearningRate: 3e-4, Lead: 0.0166);
        Assert.Equal("  decided   wt adamw: 1e-3, train 75.65%, test 74.93%, 1.66 points ahead of 3e-4", DecidedRows.Line(row));
        Assert.Equal("  decided   wt adamw: all learning rates diverged",
            DecidedRows.Line(row with { BestLearningRate = null, Note = "all learning rates diverged" }));
    }
}
