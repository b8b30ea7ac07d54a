using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Local;

/// <summary>
/// Before <c>local</c> trains: is there room in the state directory for the sweep's checkpoints and stored curves? Both
/// live under it. Without room every pack trains to its first write that does not fit and stops there, one after the
/// other. A warning, not a refusal: the estimate is the plan's, and space can be freed while the sweep runs.
/// </summary>
internal static class DiskSpace
{
    /// <summary>The warning for the free space under the state directory, or null when the sweep fits.</summary>
    public static string? Check(LocalHostOptions layout, string sweep, SweepBytes bytes, int packsAtOnce)
    {
        long existing = SizeOf(CheckpointFiles.SweepDirectory(layout.CheckpointDirectory, sweep), "*" + CheckpointFiles.Extension)
                        + SizeOf(CurveFootprint.FileDirectory(layout.GrainStateDirectory, sweep), "*.state");
        return FreeBytes(layout.StateDirectory) is { } free ? Warning(bytes, packsAtOnce, existing, free, layout.StateDirectory) : null;
    }

    /// <param name="existing">The sweep's checkpoints and curves already on disk (a resumed sweep overwrites them).</param>
    public static string? Warning(SweepBytes bytes, int packsAtOnce, long existing, long free, string where)
    {
        long needed = Math.Max(0, bytes.Checkpoints + bytes.Curves - existing) + bytes.CheckpointPerPack * Math.Max(1, packsAtOnce);
        return needed <= free ? null
            : $"the sweep's checkpoints ({Units.Bytes(bytes.Checkpoints)}) and curves ({Units.Bytes(bytes.Curves)}) need about " +
              $"{Units.Bytes(needed)} more and {where} has {Units.Bytes(free)} free: packs will stop at their first write that does " +
              "not fit (run the same command again once there is room: they resume)";
    }

    private static long SizeOf(string directory, string pattern) => Directory.Exists(directory)
        ? Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
        : 0;

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

/// <summary>What a sweep writes to disk, from its plan.</summary>
/// <param name="Checkpoints">Every pack's checkpoint.</param>
/// <param name="CheckpointPerPack">The largest pack's: each write goes to a temporary file beside the old checkpoint first.</param>
/// <param name="Curves">Every cell's stored curve (file storage).</param>
internal sealed record SweepBytes(long Checkpoints, long CheckpointPerPack, long Curves);
