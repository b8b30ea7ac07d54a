using GradGuessCluster.Client.Local;
using GradGuessCluster.Silo.Hosting;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Doctor;

/// <summary>The state directory <c>local</c> (and a silo's file storage) would use: writable, with room, and whether a
/// running local or silo holds it. Creates nothing: where it is absent, the directory it would be made in is checked.</summary>
internal static class StateChecks
{
    private const string Area = "state";

    /// <summary>Below this much free space a long sweep's curves and checkpoints may not fit.</summary>
    public const long LowSpaceBytes = 1L << 30;

    public static DoctorFinding Run(string? stateDirectory)
    {
        var given = stateDirectory ?? LocalHostOptions.DefaultStateDirectory;
        var dir = Path.GetFullPath(given);
        if (File.Exists(dir)) return new(Area, "", DoctorStatus.Fail, $"{dir} is a file", "give --state-dir a directory");
        var existing = Directory.Exists(dir) ? dir : NearestExisting(dir);
        if (File.Exists(existing)) return new(Area, "", DoctorStatus.Fail, $"{existing}, a parent of {dir}, is a file", "give --state-dir a directory");
        try
        {
            HostDirectories.EnsureWritable("--state-dir", existing);   // exists: nothing is created, a probe file is written
        }
        catch (HostDirectoryException e)
        {
            return new(Area, "", DoctorStatus.Fail, e.Message, "give --state-dir a directory you can write to");
        }
        var free = FreeBytes(existing);
        var room = free is { } f ? $"{Units.Bytes(f)} free" : "free space unknown";
        var what = existing != dir
            ? $"{dir} does not exist yet: local creates it ({existing} is writable, {room})"
            : $"{dir} is writable, {room}" + (Directory.Exists(Path.Combine(dir, "state")) ? "; it holds a sweep state" : "") +
              (StateDirectoryLock.IsHeld(dir) ? "; a running local or silo holds it now" : "");
        return free < LowSpaceBytes
            ? new(Area, "", DoctorStatus.Warn, what, "free some space: a long sweep writes curves and a checkpoint per pack")
            : new(Area, "", DoctorStatus.Ok, what);
    }

    private static string NearestExisting(string dir)
    {
        var parent = Path.GetDirectoryName(dir);
        while (parent is not null && !Directory.Exists(parent) && !File.Exists(parent)) parent = Path.GetDirectoryName(parent);
        return parent ?? Path.GetPathRoot(dir)!;
    }

    private static long? FreeBytes(string dir)
    {
        try
        {
            return new DriveInfo(dir).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
    }
}
