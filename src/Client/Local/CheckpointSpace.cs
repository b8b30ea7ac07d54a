using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Local;

/// <summary>
/// Before <c>local</c> trains: is there room for the sweep's checkpoints? Without it every pack trains to its first
/// checkpoint and fails there ("No space left on device"), one after the other, and the run ends with every cell failed.
/// A warning, not a refusal: the estimate is the plan's, and space can be freed while the sweep runs.
/// </summary>
internal static class CheckpointSpace
{
    /// <summary>The warning for the free space where the checkpoints go, or null when they fit.</summary>
    public static string? Check(LocalHostOptions layout, string sweep, long sweepBytes, long packBytes, int packsAtOnce)
    {
        var directory = CheckpointFiles.SweepDirectory(layout.CheckpointDirectory, sweep);
        long existing = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*" + CheckpointFiles.Extension).Sum(f => new FileInfo(f).Length)
            : 0;
        return FreeBytes(directory) is { } free ? Warning(sweepBytes, packBytes, packsAtOnce, existing, free, layout.StateDirectory) : null;
    }

    /// <param name="sweepBytes">Every pack's checkpoint (the plan's figure).</param>
    /// <param name="packBytes">The largest pack's: each write goes to a temporary file beside the old checkpoint first.</param>
    /// <param name="existing">The sweep's checkpoints already on disk (a resumed sweep overwrites them).</param>
    public static string? Warning(long sweepBytes, long packBytes, int packsAtOnce, long existing, long free, string where)
    {
        long needed = Math.Max(0, sweepBytes - existing) + packBytes * Math.Max(1, packsAtOnce);
        return needed <= free ? null
            : $"the sweep's checkpoints need about {Units.Bytes(needed)} more and {where} has {Units.Bytes(free)} free: " +
              "packs will fail at their first checkpoint that does not fit (run the same command again once there is room: they resume)";
    }

    /// <summary>Free bytes on the file system that holds <paramref name="path"/> (its nearest existing ancestor); null when
    /// that cannot be told.</summary>
    private static long? FreeBytes(string path)
    {
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing)) existing = Path.GetDirectoryName(existing) ?? "/";
        try
        {
            return new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
