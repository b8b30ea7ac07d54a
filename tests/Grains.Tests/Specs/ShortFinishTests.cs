using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>A start answered "finished" short of the epochs it asked for fails the short cells rather than queue them for ever.</summary>
public sealed class ShortFinishTests
{
    [Fact]
    public void AFinishShortOfTheStartedEpochs_FailsTheShortCells_KeepingTheOthersEnds()
    {
        var reply = new PackProgress(PackRunState.Finished, 5, "silo-a", "cpu",
            [new CellOutcome("a", CellState.Completed, 5), new CellOutcome("b", CellState.Diverged, 2)]);

        var judged = ShortFinish.Judge(reply, 8, "p1");

        Assert.Equal(PackRunState.Failed, judged.State);
        Assert.Equal([CellState.Failed, CellState.Diverged], judged.Outcomes!.Select(o => o.State));
        Assert.Equal("pack p1 was started for 8 epochs and answered finished at epoch 5 on silo silo-a: that silo does not train a pack on " +
                     "when a sweep's epochs are raised (an earlier build?); upgrade it and resume the sweep", judged.Outcomes![0].Error);
        Assert.Null(judged.Outcomes[1].Error);
    }

    [Fact]
    public void AFinishAtTheStartedEpochs_OrAnyOtherAnswer_IsTakenAsItIs()
    {
        var finished = new PackProgress(PackRunState.Finished, 8, "s", "cpu", [new CellOutcome("a", CellState.Completed, 8)]);
        var running = new PackProgress(PackRunState.Running, 5, "s", "cpu", null);
        var failed = new PackProgress(PackRunState.Failed, 3, "s", "cpu", [new CellOutcome("a", CellState.Failed, 3, "boom")]);

        Assert.Same(finished, ShortFinish.Judge(finished, 8, "p"));
        Assert.Same(running, ShortFinish.Judge(running, 8, "p"));
        Assert.Same(failed, ShortFinish.Judge(failed, 8, "p"));
    }
}
