using System.Globalization;

namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// The memory free on this machine now, for everyone: the kernel's <c>MemAvailable</c> (free memory plus the page cache it
/// can drop), or, where the silo's memory cgroup or one above it (a container, a pod, a systemd slice) has a limit, that
/// limit less what the cgroup uses beyond its reclaimable caches, if that is less.
/// A silo's own budget (<see cref="CpuPackMemory"/>) counts only its own packs; this figure also sees what other
/// processes hold, other silos on the same machine among them, which each count the machine's whole memory as theirs.
/// Linux only: elsewhere, or where the files cannot be read, it is unknown (null) and nothing is refused by it.
/// </summary>
public static class MachineMemory
{
    private const string CgroupRoot = "/sys/fs/cgroup";

    /// <summary>Read afresh on each call (a few small files under /proc and /sys); null where unknown, whatever fails.</summary>
    public static long? AvailableBytes()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var cgroups = CgroupDirectories(ReadOrNull("/proc/self/cgroup")).SelectMany(d => WithAncestors(d)).Distinct(StringComparer.Ordinal);
            return Least(MemAvailable(ReadOrNull("/proc/meminfo")), cgroups.Select(CgroupRoom));
        }
        catch (Exception)
        {
            return null;   // a figure to refuse by, never a reason to fail a start
        }
    }

    /// <summary>The least of the machine's figure and every memory cgroup's room that is known; null if none is.</summary>
    internal static long? Least(long? machine, IEnumerable<long?> cgroupRooms) =>
        cgroupRooms.Append(machine).Where(r => r is not null).Min();

    /// <summary>A cgroup and its parents up to the mount's root: a limit may be set on any of them (a systemd slice, a
    /// Kubernetes pod above its container).</summary>
    internal static IEnumerable<string> WithAncestors(string directory) => WithAncestors(directory, CgroupRoot);

    internal static IEnumerable<string> WithAncestors(string directory, string mount)
    {
        var root = directory.StartsWith($"{mount}/memory", StringComparison.Ordinal) ? $"{mount}/memory" : mount;
        for (var d = directory; d.Length >= root.Length; d = Path.GetDirectoryName(d) ?? "")
            yield return d;
    }

    /// <summary>The <c>MemAvailable</c> line of /proc/meminfo, in bytes; null if there is none.</summary>
    internal static long? MemAvailable(string? meminfo)
    {
        foreach (var line in (meminfo ?? "").Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["MemAvailable:", var kib, "kB"] && long.TryParse(kib, CultureInfo.InvariantCulture, out var k)) return k * 1024;
        }
        return null;
    }

    /// <summary>The room a memory cgroup leaves: its limit less what it uses apart from its page cache, which the kernel
    /// drops for a new allocation as <c>MemAvailable</c> counts it free (the kubelet keeps the active part as used; here
    /// checkpoint files read back would then keep a pack waiting that would fit). Null without a limit (cgroup v1 writes
    /// "no limit" as a number near 2^63, v2 as "max") or where the files are missing. v2 names the files memory.max,
    /// memory.current, and the caches active_file, inactive_file and slab_reclaimable (its usage counts kernel slab); v1
    /// memory.limit_in_bytes, memory.usage_in_bytes and total_active_file, total_inactive_file.</summary>
    internal static long? CgroupRoom(string directory)
    {
        var v2 = File.Exists(Path.Combine(directory, "memory.max"));
        var limit = Number(ReadOrNull(Path.Combine(directory, v2 ? "memory.max" : "memory.limit_in_bytes")));
        var usage = Number(ReadOrNull(Path.Combine(directory, v2 ? "memory.current" : "memory.usage_in_bytes")));
        if (limit is not { } l || l >= 1L << 62 || usage is not { } u) return null;
        var stat = ReadOrNull(Path.Combine(directory, "memory.stat"));
        var prefix = v2 ? "" : "total_";
        var cache = (StatValue(stat, prefix + "active_file") ?? 0) + (StatValue(stat, prefix + "inactive_file") ?? 0)
                    + (v2 ? StatValue(stat, "slab_reclaimable") ?? 0 : 0);   // v1's usage has no slab to take off
        return Math.Max(0, l - Math.Max(0, u - cache));
    }

    /// <summary>Where this process's memory cgroup may be, most specific first: its own path under the v2 or v1 mount (as
    /// /proc/self/cgroup names it), then the mount's root, which is the container's own cgroup where the container has a
    /// cgroup namespace or (v1, as Docker does) its cgroup bind-mounted there, and otherwise the root, which has no limit.</summary>
    internal static IEnumerable<string> CgroupDirectories(string? procSelfCgroup, string root = CgroupRoot) =>
        Candidates(procSelfCgroup, root).Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> Candidates(string? procSelfCgroup, string root)
    {
        foreach (var line in (procSelfCgroup ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(':', 3);
            if (fields.Length != 3 || !fields[2].StartsWith('/')) continue;
            if (fields[1] == "") yield return root + fields[2].TrimEnd('/');                    // v2: "0::/path"
            else if (fields[1].Split(',').Contains("memory")) yield return $"{root}/memory{fields[2].TrimEnd('/')}";   // v1
        }
        yield return root;
        yield return $"{root}/memory";
    }

    internal static long? StatValue(string? stat, string key)
    {
        foreach (var line in (stat ?? "").Split('\n'))
            if (line.Split(' ') is [var name, var value] && name == key && long.TryParse(value, CultureInfo.InvariantCulture, out var v)) return v;
        return null;
    }

    private static long? Number(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string? ReadOrNull(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
