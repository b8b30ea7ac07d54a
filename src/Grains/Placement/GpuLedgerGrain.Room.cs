namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// Free slots as a waiting sweep can use them (<see cref="SlotRoom"/>). Counted so, a free slot on a silo whose memory
/// the packs there hold is neither granted to a sweep whose pack needs room in it (the pack would be refused there,
/// re-queued, and placed there again every few seconds) nor mistaken for one that sweep will get, which kept every
/// running pack from yielding it the slot whose release would make the room.
/// </summary>
public sealed partial class GpuLedgerGrain
{
    /// <summary>The live silos' free slots and the room in their memory for packs, less what the slots promised to sweeps
    /// will take (their packs have not reserved them yet), <paramref name="except"/>'s reservation left out (a pack asked
    /// to yield: its slot counted as released).</summary>
    private SlotRoom Room(string? except = null)
    {
        var now = DateTimeOffset.UtcNow;
        var room = new SlotRoom(membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m =>
        {
            var name = m.SiloAddress.ToParsableString();
            var here = Reservations.Where(kv => kv.Value.Silo == name && kv.Key != except).Select(kv => kv.Value).ToList();
            var slots = SlotsOf(m.SiloAddress);
            var machineFree = _machineFree.TryGetValue(name, out var note) && now - note.At < MachineNoteLife ? note.Free : (long?)null;
            return new SlotRoom.Silo(slots, slots.Devices.Select(d => (d.Device, d.Slots - here.Count(r => r.Device == d.Device))).ToList(),
                here.Sum(r => r.CpuBytes), machineFree);
        }));
        foreach (var (slots, bytes) in _promises.Outstanding(now))
            for (var i = 0; i < slots; i++) room.Take(bytes);
        return room;
    }

    /// <summary>Whether waiting sweep <paramref name="demand"/> needs the slot <paramref name="key"/>'s pack holds: no free
    /// slot has room for its next pack (<paramref name="free"/>: free slots less the promised ones), and that slot, once
    /// released, would (a yield that leaves the waiting pack refused there would only pass the slot back).</summary>
    private bool NeedsSlotOf(string key, SlotDemand demand, int free, SlotRoom room)
    {
        if (free > 0 && room.Fits(demand.Bytes)) return false;
        var released = Room(except: key);
        return released.Fits(demand.Bytes);
    }

    /// <summary>Whether every free slot is promised to sweeps other than <paramref name="key"/>'s pack's own.</summary>
    private bool PromisedAway(string key) => Capacity(out _).Free - _promises.PromisedToOthers(SweepOf(key), DateTimeOffset.UtcNow) <= 0;
}
