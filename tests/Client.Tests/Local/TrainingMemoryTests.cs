using GradGuessCluster.Client.Local;
using GradGuessCluster.Grains.Placement;

namespace GradGuessCluster.Client.Tests.Local;

public sealed class TrainingMemoryTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void PacksThatFitTheMachine_OrNoCpuPack_GiveNoWarning()
    {
        Assert.Null(TrainingMemory.Warning(packBytes: 5 * GiB, packsAtOnce: 3, machineBytes: 15 * GiB, withCopy: true));
        Assert.Null(TrainingMemory.Warning(packBytes: 50 * GiB, packsAtOnce: 0, machineBytes: 15 * GiB, withCopy: true));   // GPU slots only
    }

    [Fact]
    public void PacksPastTheMachinesMemory_AreToldWithEachFigure_AndWhatToChange()
    {
        var warning = TrainingMemory.Warning(packBytes: 6 * GiB, packsAtOnce: 4, machineBytes: 23 * GiB, withCopy: false);
        Assert.NotNull(warning);
        Assert.Contains("a training pack holds at least 6.00 GiB (weights, gradient, optimizer state)", warning);
        Assert.Contains("so 4 at once need 24.0 GiB, and this machine has 23.0 GiB", warning);
        Assert.Contains("only 3 will train at once, the others waiting for memory (give fewer --cpu-slots", warning);
        Assert.DoesNotContain("checkpointEvery", warning);
        // Where checkpoints come less often than every epoch, the figure has the rollback copy, and the way to drop it is said.
        var withCopy = TrainingMemory.Warning(packBytes: 6 * GiB, packsAtOnce: 4, machineBytes: 23 * GiB, withCopy: true);
        Assert.Contains("and their copy for a stop mid-epoch to roll back to", withCopy);
        Assert.Contains("checkpointEvery: 1 (no copy)", withCopy);
    }

    [Fact]
    public void OnThisMachine_TwoPacksPastItsMemory_AreWarnedOf_AndTwoTinyOnesAreNot()
    {
        Assert.NotNull(TrainingMemory.Check(packBytes: CpuPackMemory.MachineBytes / 2 + 1, packsAtOnce: 2, withCopy: false));
        Assert.Null(TrainingMemory.Check(packBytes: 1 << 20, packsAtOnce: 2, withCopy: false));
    }

    [Fact]
    public void APackPastWhatIsFreeNow_IsWarnedOf_AndOneThatFitsOrAnUnknownFigureIsNot()
    {
        Assert.Equal("a training pack holds at least 6.00 GiB (weights, gradient, optimizer state), and this machine has 5.00 GiB free now: " +
                     "the other processes hold the rest, and the packs wait until that much is free",
            TrainingMemory.FreeNow(packBytes: 6 * GiB, freeBytes: 5 * GiB, withCopy: false));
        Assert.Null(TrainingMemory.FreeNow(packBytes: 6 * GiB, freeBytes: 6 * GiB, withCopy: false));
        Assert.Null(TrainingMemory.FreeNow(packBytes: 6 * GiB, freeBytes: null, withCopy: false));
    }

    [Fact]
    public void APackLargerThanTheMachine_IsRefused_NotWarnedOf()
    {
        Assert.Null(TrainingMemory.Warning(packBytes: 24 * GiB, packsAtOnce: 2, machineBytes: 23 * GiB, withCopy: false));
        Assert.Null(TrainingMemory.Refusal(packBytes: 23 * GiB, machineBytes: 23 * GiB, withCopy: false));
        Assert.Equal("a training pack holds at least 24.0 GiB (weights, gradient, optimizer state and their copy for a stop mid-epoch " +
                     "to roll back to), more than this machine's 23.0 GiB: it could never train on its CPU (give a smaller model, " +
                     "checkpointEvery: 1 (no copy), or packing: none if cells are packed)",
            TrainingMemory.Refusal(packBytes: 24 * GiB, machineBytes: 23 * GiB, withCopy: true));
    }
}
