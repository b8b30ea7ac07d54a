using GradGuessCluster.Client.Local;

namespace GradGuessCluster.Client.Tests.Local;

public sealed class DiskSpaceTests
{
    private const long MiB = 1 << 20;

    private static readonly SweepBytes Sweep = new(Checkpoints: 40 * MiB, CheckpointPerPack: 5 * MiB, Curves: 0);

    [Fact]
    public void EnoughRoom_ForTheSweepAndOneTemporaryCopyPerPackAtOnce_GivesNoWarning() =>
        Assert.Null(DiskSpace.Warning(Sweep, packsAtOnce: 2, existing: 0, free: 50 * MiB, "st"));

    [Fact]
    public void TooLittleRoom_IsToldWithEveryFigure()
    {
        var warning = DiskSpace.Warning(Sweep with { Curves = 3 * MiB }, packsAtOnce: 2, existing: 0, free: 52 * MiB, "/tmp/st");
        Assert.NotNull(warning);
        Assert.Contains("checkpoints (40.0 MiB) and curves (3.00 MiB) need about 53.0 MiB more and /tmp/st has 52.0 MiB free", warning);
        Assert.Contains("run the same command again once there is room", warning);
    }

    [Fact]
    public void TheCurves_NeedRoomBesideTheCheckpoints()
    {
        Assert.Null(DiskSpace.Warning(Sweep with { Curves = 10 * MiB }, 2, existing: 0, free: 60 * MiB, "st"));
        Assert.NotNull(DiskSpace.Warning(Sweep with { Curves = 10 * MiB }, 2, existing: 0, free: 59 * MiB, "st"));
    }

    [Fact]
    public void WhatIsAlreadyOnDisk_IsOverwrittenInPlace_AndNeedsNoNewRoom()
    {
        // A resumed sweep with 30 of its 40 MiB written: 10 more, plus the temporary copies.
        Assert.Null(DiskSpace.Warning(Sweep, 2, existing: 30 * MiB, free: 20 * MiB, "st"));
        Assert.NotNull(DiskSpace.Warning(Sweep, 2, existing: 30 * MiB, free: 19 * MiB, "st"));
    }

    [Fact]
    public void OnThisMachine_AStateDirectoryThatDoesNotExistYet_IsJudgedByItsNearestParent()
    {
        var layout = new LocalHostOptions(Path.Combine(Path.GetTempPath(), "gg-space-" + Guid.NewGuid().ToString("N")[..8], "deeper"));
        // Far more than any disk: a warning, naming the directory; a byte: none.
        Assert.Contains(layout.StateDirectory, DiskSpace.Check(layout, "s", new SweepBytes(1, 1, long.MaxValue / 4), 1));
        Assert.Null(DiskSpace.Check(layout, "s", new SweepBytes(1, 1, 1), 1));
        Assert.False(Directory.Exists(layout.StateDirectory));                   // looked at, not created
    }
}
