using GradGuessCluster.Training.Checkpoints;

namespace GradGuessCluster.Training.Tests.Checkpoints;

public sealed class CheckpointLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-ckptlock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ASecondTrainer_IsRefused_WhileTheFirstHoldsTheFile_AndTakesItOnceReleased()
    {
        var checkpoint = Path.Combine(_dir, "cell.ckpt");
        var first = CheckpointLock.TryAcquire(checkpoint);
        Assert.NotNull(first);
        Assert.Null(CheckpointLock.TryAcquire(checkpoint));
        Assert.Null(CheckpointLock.TryAcquire(Path.Combine(_dir, ".", "cell.ckpt")));   // the same file by another name
        using (var other = CheckpointLock.TryAcquire(Path.Combine(_dir, "other.ckpt"))) Assert.NotNull(other);
        first.Dispose();
        using var again = CheckpointLock.TryAcquire(checkpoint);
        Assert.NotNull(again);
    }

    [Fact]
    public void ALockFileThatCannotBeCreated_Throws_RatherThanReadAsHeld()
    {
        Assert.ThrowsAny<IOException>(() => CheckpointLock.TryAcquire("/proc/gg-cell.ckpt"));
    }

    [Fact]
    public void TheLockOfALongName_FitsBesideIt()
    {
        using var held = CheckpointLock.TryAcquire(Path.Combine(_dir, new string('c', 250)));
        Assert.NotNull(held);
    }
}
