using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Cluster;

/// <summary>The exit code of a followed sweep, shared by <c>local</c>, <c>watch</c> and <c>submit --watch</c>.</summary>
public sealed class SweepExitCodeTests
{
    [Theory]
    [InlineData(new[] { CellState.Completed, CellState.Diverged }, SweepState.Completed, 0)]
    [InlineData(new[] { CellState.Completed, CellState.Failed }, SweepState.Completed, 1)]
    [InlineData(new[] { CellState.Completed, CellState.Cancelled }, SweepState.Cancelled, 1)]   // part of the grid: scripts must notice
    public void ForSweep_FailsWhenACellFailed_OrTheSweepWasCancelled(CellState[] states, SweepState state, int expected)
    {
        var cells = states.Select((s, i) => new CellStatus($"c{i}", "p", new CellConfig("wt", "sgd", 1e-2, 0), s, 1, 1,
            null, null, null, null, null, null)).ToList();
        var status = new SweepStatus("s", state, 1, cells, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        Assert.Equal(expected, ExitCodes.ForSweep(status));
    }
}
