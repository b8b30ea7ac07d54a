namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// The free slots of the live silos with the room beside them in each silo's memory for packs (<c>cpu.memory</c>), as
/// the ledger shares them out: a slot handed out takes its pack's bytes from its silo's room, so that two sweeps are not
/// both granted the one slot there is room for. A free slot on a silo whose memory the packs there hold is no slot for a
/// pack that needs room in it.
/// </summary>
internal sealed class SlotRoom
{
    /// <summary>A live silo: its free slots by device (GPUs first), the bytes its packs hold of its memory for packs, and
    /// what its machine had free when it last refused a pack (null: no recent refusal).</summary>
    public sealed record Silo(SiloSlots Slots, List<(string Device, int Free)> Devices, long Held, long? MachineFree);

    private readonly List<(Silo Silo, long Added, List<(string Device, int Free)> Devices)> _silos;

    public SlotRoom(IEnumerable<Silo> silos) =>
        _silos = silos.Select(s => (s, 0L, s.Devices.ToList())).ToList();

    private SlotRoom(SlotRoom other) =>
        _silos = other._silos.Select(s => (s.Silo, s.Added, s.Devices.ToList())).ToList();

    /// <summary>The free slots left, with room or not.</summary>
    public int Free => _silos.Sum(s => s.Devices.Sum(d => Math.Max(0, d.Free)));

    /// <summary>Whether a free slot has room for a pack of <paramref name="bytes"/>.</summary>
    public bool Fits(PackHostBytes bytes) => Find(bytes) is not null;

    /// <summary>Takes the free slot a pack of <paramref name="bytes"/> would be placed on; false when none has room.</summary>
    public bool Take(PackHostBytes bytes)
    {
        if (Find(bytes) is not var (silo, device)) return false;
        var (s, added, devices) = _silos[silo];
        devices[device] = (devices[device].Device, devices[device].Free - 1);
        _silos[silo] = (s, added + bytes.On(devices[device].Device), devices);
        return true;
    }

    /// <summary>How many packs of <paramref name="bytes"/> the free slots have room for, one after another.</summary>
    public int Count(PackHostBytes bytes)
    {
        var copy = new SlotRoom(this);
        var n = 0;
        while (copy.Take(bytes)) n++;
        return n;
    }

    /// <summary>The slot as placement ranks them: a GPU before the CPU, one with room before one without, then the silo
    /// with the most free slots. A pack of unknown size, or one that no silo's memory could hold even alone, takes a slot
    /// without room: its start is tried, and the silo's refusal says why it cannot train.</summary>
    private (int Silo, int Device)? Find(PackHostBytes bytes)
    {
        var roomNeeded = bytes != default && _silos.Any(s => s.Silo.Devices.Any(d => s.Silo.Slots.CpuMemoryFits(0, bytes.On(d.Device))));
        return _silos.SelectMany((s, i) => s.Devices.Select((d, j) => (Silo: i, Device: j, Gpu: d.Device != SiloSlots.CpuDevice, d.Free,
                Room: Room(s.Silo, s.Added, bytes.On(d.Device)))))
            .Where(c => c.Free > 0 && (c.Room || !roomNeeded))
            .OrderByDescending(c => c.Gpu).ThenByDescending(c => c.Room).ThenByDescending(c => c.Free)
            .Select(c => ((int, int)?)(c.Silo, c.Device))
            .FirstOrDefault();
    }

    private static bool Room(Silo silo, long added, long bytes) =>
        silo.Slots.CpuMemoryFits(silo.Held + added, bytes) && !(bytes > 0 && silo.MachineFree is { } free && added + bytes > free);
}
