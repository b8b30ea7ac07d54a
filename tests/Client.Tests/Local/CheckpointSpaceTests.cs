using GradGuessCluster.Client.Local;

namespace GradGuessCluster.Client.Tests.Local;

public sealed class CheckpointSpaceTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void EnoughRoom_ForTheSweepAndOneTemporaryCopyPerPackAtOnce_GivesNoWarning() =>
        Assert.Null(CheckpointSpace.Warning(sweepBytes: 40 * MiB, packBytes: 5 * MiB, packsAtOnce: 2, existing: 0, free: 50 * MiB, "st"));

    [Fact]
    public void TooLittleRoom_IsToldWithBothFigures()
    {
        var warning = CheckpointSpace.Warning(sweepBytes: 40 * MiB, packBytes: 5 * MiB, packsAtOnce: 2, existing: 0, free: 49 * MiB, "/tmp/st");
        Assert.NotNull(warning);
        Assert.Contains("need about 50.0 MiB more and /tmp/st has 49.0 MiB free", warning);
        Assert.Contains("run the same command again once there is room", warning);
    }

    [Fact]
    public void CheckpointsAlreadyOnDisk_AreOverwrittenInPlace_AndNeedNoNewRoom()
    {
        // A resumed sweep with 30 of its 40 MiB written: 10 more, plus the temporary copies.
        Assert.Null(CheckpointSpace.Warning(40 * MiB, 5 * MiB, 2, existing: 30 * MiB, free: 20 * MiB, "st"));
        Assert.NotNull(CheckpointSpace.Warning(40 * MiB, 5 * MiB, 2, existing: 30 * MiB, free: 19 * MiB, "st"));
    }

    [Fact]
    public void OnThisMachine_AStateDirectoryThatDoesNotExistYet_IsJudgedByItsNearestParent()
    {
        var layout = new LocalHostOptions(Path.Combine(Path.GetTempPath(), "gg-space-" + Guid.NewGuid().ToString("N")[..8], "deeper"));
        // Far more than any disk: a warning, naming the directory; a byte: none.
        Assert.Contains(layout.StateDirectory, CheckpointSpace.Check(layout, "s", long.MaxValue / 4, 1, 1));
        Assert.Null(CheckpointSpace.Check(layout, "s", 1, 1, 1));
        Assert.False(Directory.Exists(layout.StateDirectory));                   // looked at, not created
    }
}
