using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Tests.IO;

public sealed class FileLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-filelock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void IsHeld_TellsAHeldLockFromAFreeOne_AndLetsTheProbesLockGo()
    {
        var path = Path.Combine(_dir, "lock");
        Assert.False(FileLock.IsHeld(path));   // missing

        using (var held = FileLock.TryAcquire(path))
        {
            Assert.NotNull(held);
            Assert.True(FileLock.IsHeld(path));
        }
        Assert.False(FileLock.IsHeld(path));
        using var again = FileLock.TryAcquire(path);
        Assert.NotNull(again);
    }

    [Fact]
    public void IsHeld_IsNotFooledByAnotherReadersProbe()
    {
        // Two offline readers at once: an exclusive probe read the other's probe as a host holding the directory.
        var path = Path.Combine(_dir, "lock");
        using (FileLock.TryAcquire(path)) { }
        using (var probing = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))   // a shared flock, as a probe's
            Assert.False(FileLock.IsHeld(path));
        using var held = FileLock.TryAcquire(path);
        Assert.NotNull(held);
        Assert.True(FileLock.IsHeld(path));
    }

    [Fact]
    public void IsHeld_OfAFileThisProcessCannotWrite_StillTellsHeldFromFree()
    {
        // Readers of a state directory they may not write (another user's, a read-only snapshot) were told "held" by the
        // read-write probe's failure, so every sweep recorded as running read as running, not paused. Not even root
        // opens a read-only sysfs attribute for writing (EACCES; EROFS where /sys is mounted read-only), and flock takes it.
        const string path = "/sys/devices/system/cpu/online";
        Assert.False(FileLock.IsHeld(path));

        using (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None))   // .NET's own flock, as another host's
            Assert.True(FileLock.IsHeld(path));
        Assert.False(FileLock.IsHeld(path));
    }
}
