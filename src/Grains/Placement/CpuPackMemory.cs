using GradGuessCluster.Training;

namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// The host memory the packs training on this silo hold at least, against what the machine has: on the CPU their
/// weights, gradient and optimizer state (as <c>PackWorkload.TrainingStateBytes</c> counts them); on a GPU, whose
/// device holds the rest, the copy of weights and optimizer state a pack with <c>checkpointEvery</c> above 1 keeps in
/// host memory to roll back to (<c>PackMemory.GpuHostBytes</c>). A pack that would take them past it is not started
/// here: the kernel would kill the whole silo for memory mid-epoch, and every pack on it with it. The figure is a lower
/// bound (activations and data come on top), so a pack admitted may still not fit; one refused surely would not.
/// A pack that fits that budget must also fit the memory the machine has free at its start
/// (<see cref="MachineMemory"/>; <paramref name="machineFree"/>, which is read at each start, unknown where null): the
/// budget sees only this silo's packs, and other silos on the same machine each count all of it as theirs.
/// </summary>
public sealed class CpuPackMemory(long capacityBytes, Func<long?>? machineFree = null)
{
    private readonly Func<long?> _machineFree = machineFree ?? MachineMemory.AvailableBytes;

    private readonly Dictionary<GrainId, long> _held = [];
    private readonly Lock _lock = new();

    public long CapacityBytes => capacityBytes;

    /// <summary>The memory free on the machine now, as a start reads it; null where unknown.</summary>
    public long? MachineFreeBytes => _machineFree();

    /// <summary>What the packs training here hold now.</summary>
    public long HeldBytes
    {
        get { lock (_lock) return _held.Values.Sum(); }
    }

    /// <summary>The machine's memory as a silo counts it without <c>CpuTrainingMemoryBytes</c>: what .NET reports (physical
    /// memory; in a container 75 % of its limit by default). <c>local</c> refuses a never-fitting pack by the same figure.</summary>
    public static long MachineBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Null once <paramref name="bytes"/> are held for <paramref name="pack"/> (a restarted pack replaces its own
    /// hold); otherwise why not. <paramref name="what"/> says what the bytes are.</summary>
    public MemoryRefusal? TryHold(GrainId pack, long bytes, string what)
    {
        lock (_lock)
        {
            _held.Remove(pack);
            long others = _held.Values.Sum();
            var holds = $"it holds at least {Units.Bytes(bytes)} ({what})";
            if (others + bytes <= capacityBytes)
            {
                // Packs started here a moment ago may not have allocated yet, so the machine's figure can miss them: it
                // guards against other processes, and the budget above against this silo's own packs.
                if (_machineFree() is { } free && bytes > free)
                    return new MemoryRefusal($"{holds}, and this machine has {Units.Bytes(free)} free (the rest is in use: by this " +
                        "silo's packs, other processes, any other silo on it): it waits until that much is free", free);
                _held[pack] = bytes;
                return null;
            }
            return new MemoryRefusal(bytes > capacityBytes
                ? $"{holds}, more than this silo's memory for packs, {Units.Bytes(capacityBytes)}: it can train only on a silo " +
                  "with more, or as a smaller pack (a smaller model, checkpointEvery: 1, or packing: none)"
                : $"{holds}, the {Units.Count(_held.Count, "pack")} training on this silo {(_held.Count == 1 ? "holds" : "hold")} {Units.Bytes(others)} of its memory for packs, " +
                  $"{Units.Bytes(capacityBytes)}: it waits for some to end", MachineFreeBytes: null);
        }
    }

    public void Release(GrainId pack)
    {
        lock (_lock) _held.Remove(pack);
    }
}

/// <summary>Why a pack was not started for memory, in one line; <paramref name="MachineFreeBytes"/> is the machine's free
/// memory where that, not the silo's own budget, refused it (placement is told it, to try another silo first).</summary>
public sealed record MemoryRefusal(string Reason, long? MachineFreeBytes);
