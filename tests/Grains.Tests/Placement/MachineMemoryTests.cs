using GradGuessCluster.Grains.Placement;

namespace GradGuessCluster.Grains.Tests.Placement;

/// <summary>The machine's free memory, as a silo reads it before starting a CPU pack: from the kernel's files, and from a
/// memory cgroup's files laid out as cgroup v1 and v2 write them.</summary>
public sealed class MachineMemoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-cgroup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void OnThisLinuxMachine_TheFigureIsThereAndWithinItsMemory()
    {
        var free = MachineMemory.AvailableBytes();
        var total = File.ReadLines("/proc/meminfo").Single(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.NotNull(free);
        Assert.InRange(free.Value, 1, long.Parse(total) * 1024);
    }

    [Fact]
    public void MemAvailable_IsReadInBytes_AndMissingIsUnknown()
    {
        const string meminfo = "MemTotal:       24731708 kB\nMemFree:        19952832 kB\nMemAvailable:   24309664 kB\nBuffers: 0 kB\n";
        Assert.Equal(24309664L * 1024, MachineMemory.MemAvailable(meminfo));
        Assert.Null(MachineMemory.MemAvailable("MemTotal:       24731708 kB\n"));   // kernels before 3.14
        Assert.Null(MachineMemory.MemAvailable(null));
    }

    [Fact]
    public void CgroupV2_RoomIsTheLimitLessTheWorkingSet()
    {
        Write("memory.max", "8589934592\n");
        Write("memory.current", "3221225472\n");
        Write("memory.stat", "anon 2147483648\nfile 1073741824\nactive_file 268435456\ninactive_file 536870912\nslab_reclaimable 67108864\n");
        Assert.Equal(8589934592L - (3221225472L - 268435456L - 536870912L - 67108864L), MachineMemory.CgroupRoom(_dir));   // caches are free
        Write("memory.max", "max\n");                  // no limit: the machine's figure decides
        Assert.Null(MachineMemory.CgroupRoom(_dir));
    }

    [Fact]
    public void CgroupV1_RoomIsTheLimitLessTheWorkingSet_AndItsNoLimitNumberIsNone()
    {
        Write("memory.limit_in_bytes", "2147483648\n");
        Write("memory.usage_in_bytes", "2684354560\n");   // over the limit by its page cache
        Write("memory.stat", "cache 1073741824\nactive_file 1\ninactive_file 2\ntotal_active_file 134217728\ntotal_inactive_file 805306368\n");
        Assert.Equal(2147483648L - (2684354560L - 134217728L - 805306368L), MachineMemory.CgroupRoom(_dir));   // the hierarchy's totals
        Write("memory.usage_in_bytes", "4294967296\n");   // a working set above the limit leaves no room, not a negative one
        Assert.Equal(0, MachineMemory.CgroupRoom(_dir));
        Write("memory.limit_in_bytes", "9223372036854771712\n");
        Assert.Null(MachineMemory.CgroupRoom(_dir));
    }

    [Fact]
    public void MissingOrGarbledCgroupFiles_AreUnknown()
    {
        Assert.Null(MachineMemory.CgroupRoom(Path.Combine(_dir, "absent")));
        Write("memory.max", "lots\n");
        Write("memory.current", "1\n");
        Assert.Null(MachineMemory.CgroupRoom(_dir));
    }

    [Fact]
    public void TheProcessesOwnCgroupIsTriedBeforeTheMountRoots()
    {
        Assert.Equal(["/r/user.slice/a", "/r", "/r/memory"], MachineMemory.CgroupDirectories("0::/user.slice/a\n", "/r"));
        Assert.Equal(["/r/memory/docker/x", "/r", "/r/memory"], MachineMemory.CgroupDirectories("4:memory:/docker/x\n3:cpuset:/\n0::/\n", "/r"));
        Assert.Equal(["/r", "/r/memory"], MachineMemory.CgroupDirectories(null, "/r"));
    }

    [Fact]
    public void ALimitOnAParentCgroupCounts_AndTheLeastRoomWins()
    {
        Assert.Equal(["/r/kubepods/pod1/c1", "/r/kubepods/pod1", "/r/kubepods", "/r"], MachineMemory.WithAncestors("/r/kubepods/pod1/c1", "/r"));
        Assert.Equal(["/r/memory/docker/x", "/r/memory/docker", "/r/memory"], MachineMemory.WithAncestors("/r/memory/docker/x", "/r"));
        Assert.Equal(["/r"], MachineMemory.WithAncestors("/r", "/r"));
        Assert.Equal(300, MachineMemory.Least(1000, [null, 500, 300, null]));
        Assert.Equal(1000, MachineMemory.Least(1000, [null, 5000]));
        Assert.Equal(700, MachineMemory.Least(null, [700]));
        Assert.Null(MachineMemory.Least(null, [null]));
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir, name), text);
}
