using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Rendering;

public sealed class CellChangesTests
{
    private static SweepStatus Status(CellState state, int epoch, string? device) => new("s", SweepState.Running, 3,
        [new CellStatus("c0", "p0", new CellConfig("wt", "adamw", 1e-3, 0), state, epoch, 3, state == CellState.Completed ? 0.7 : null,
            state == CellState.Completed ? 0.69 : null, null, device, device is null ? null : "silo-a", null)], DateTimeOffset.UtcNow, null);

    [Fact]
    public void AStartedCell_IsSaidOnce_WithItsDevice_EvenWhenItsFirstStatusHadNone()
    {
        var changes = new CellChanges();
        Assert.Empty(changes.Lines(Status(CellState.Queued, 0, null)));
        Assert.Empty(changes.Lines(Status(CellState.Running, 0, null)));   // the pack has not reported yet
        Assert.Equal(["  started   wt adamw lr=1e-3 seed=0 on cpu (epoch 0/3)"], changes.Lines(Status(CellState.Running, 0, "cpu")));
        Assert.Empty(changes.Lines(Status(CellState.Running, 1, "cpu")));
        Assert.Equal(["  completed wt adamw lr=1e-3 seed=0 at epoch 3/3: train 70.00%, test 69.00%"],
            changes.Lines(Status(CellState.Completed, 3, null)));
        Assert.Empty(changes.Lines(Status(CellState.Completed, 3, null)));
    }

    [Fact]
    public void ACellFirstSeenPastEpochZero_OrQueuedAgain_IsSaidWithoutWaitingForADevice()
    {
        var changes = new CellChanges();
        Assert.Equal(["  running   wt adamw lr=1e-3 seed=0 (epoch 1/3)"], changes.Lines(Status(CellState.Running, 1, null)));
        Assert.Empty(changes.Lines(Status(CellState.Queued, 1, null)));
        Assert.Equal(["  running   wt adamw lr=1e-3 seed=0 on cpu (epoch 1/3)"], changes.Lines(Status(CellState.Running, 1, "cpu")));
    }
}
