using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces;

/// <summary>
/// Live occupancy of training slots over the cluster (a singleton, key 0). Capacity comes from silo metadata
/// (<c>gpu.count</c>, <c>gpu.slots</c>, <c>cpu.training</c>, <c>cpu.slots</c>, <c>cpu.memory</c>); reservations are per training grain and
/// idempotent (placement is retried); slots of dead silos are freed.
/// </summary>
[Alias("gg.IGpuLedgerGrain")]
public interface IGpuLedgerGrain : IGrainWithIntegerKey
{
    /// <summary>Reserves a slot for <paramref name="grain"/> on the candidate silo with the most free slots (or returns its
    /// existing reservation); null when every slot is taken. A free GPU comes first; among slots of a kind, silos whose
    /// memory for packs (metadata <c>cpu.memory</c>) has room for what the pack holds there (<paramref name="cpuBytes"/> on
    /// a CPU slot, <paramref name="gpuHostBytes"/>, its rollback copy, on a GPU slot) beside the packs reserved there
    /// come before those without, which still take it where no silo has room (0: size not known, it fits anywhere).</summary>
    [Alias("Reserve")]
    Task<SiloAddress?> ReserveAsync(GrainId grain, SiloAddress[] candidates, long cpuBytes, long gpuHostBytes = 0);

    /// <summary>The silo <see cref="ReserveAsync"/> would choose, reserving nothing: for a training grain moving after its
    /// silo refused its start. Its next start claims a slot there; a reservation made now would count as taken by its
    /// sweep, whose fair share would then hold that very start back until the reservation lapsed.</summary>
    [Alias("Choose")]
    Task<SiloAddress?> ChooseAsync(SiloAddress[] candidates, long cpuBytes, long gpuHostBytes = 0);

    /// <summary>Called by the activation on <paramref name="silo"/>: confirms its reservation and returns its device
    /// (reserving one there if placement did not); null when that silo has no free slot. A lease renewal names the
    /// <paramref name="device"/> the pack trains on: a reservation that lapsed meanwhile is taken again on that device
    /// only (null when it is full), never on another, where the pack does not train. <paramref name="cpuBytes"/> and
    /// <paramref name="gpuHostBytes"/>: what the pack holds of the silo's memory on a CPU or a GPU slot, counted against
    /// that silo's memory when placing others.</summary>
    [Alias("Claim")]
    Task<SlotReservation?> ClaimAsync(GrainId grain, SiloAddress silo, string? device, long cpuBytes, long gpuHostBytes = 0);

    /// <summary>Releases <paramref name="grain"/>'s slot wherever it is (for a caller that holds no activation of it).</summary>
    [Alias("Release")]
    Task ReleaseAsync(GrainId grain);

    /// <summary>Releases <paramref name="grain"/>'s slot as its activation on <paramref name="silo"/> ends, unless the slot is
    /// claimed on another silo: that is a later run's (the pack moved, and this activation's stop outlived the move),
    /// and taking it back would let the ledger give the device out twice.</summary>
    [Alias("ReleaseFrom")]
    Task ReleaseFromAsync(GrainId grain, SiloAddress silo);

    /// <summary>Releases <paramref name="grain"/>'s slot on <paramref name="silo"/>, which refused its pack because the
    /// machine had only <paramref name="freeBytes"/> free: for a while placement counts that silo as without room for a
    /// larger CPU pack, so the pack is tried first where there is room (other silos' budgets cannot see that memory).</summary>
    [Alias("ReleaseForMachineMemory")]
    Task ReleaseForMachineMemoryAsync(GrainId grain, SiloAddress silo, long freeBytes);

    /// <summary>Releases <paramref name="grain"/>'s reservation if no activation has claimed it (true when one went): a
    /// start that failed before its claim gives its slot to the packs behind it now, not when the reservation lapses,
    /// while a pack that is training, having claimed its slot, keeps it.</summary>
    [Alias("ReleaseUnclaimed")]
    Task<bool> ReleaseUnclaimedAsync(GrainId grain);

    /// <summary>How many of its <paramref name="queued"/> packs <paramref name="sweep"/> may start now. Free slots go to the
    /// waiting sweep that runs the fewest packs for its <paramref name="priority"/> (ties: the one waiting longest), so sweeps
    /// share the cluster in proportion to their priorities; a sweep whose turn it is is woken to take its slots. Only
    /// slots on silos whose memory for packs has room for its next pack (<paramref name="cpuBytes"/> on a CPU slot,
    /// <paramref name="gpuHostBytes"/> on a GPU slot; 0: not known) count for it. The demand is kept until the sweep asks
    /// with 0 or stops asking; the priority while the sweep holds or waits for a slot.</summary>
    [Alias("GetShare")]
    Task<SlotShare> GetShareAsync(string sweep, int queued, int priority, long cpuBytes = 0, long gpuHostBytes = 0);

    /// <summary>A sweep's priority changed (<see cref="Validation.SweepPriority"/>): it counts from the next slot handed out
    /// or given up on.</summary>
    [Alias("SetPriority")]
    Task SetPriorityAsync(string sweep, int priority);

    /// <summary>Asked by a training grain at its checkpoints and, between them, about every watchdog interval: the sweep it
    /// should give its slot to (fair share), or null to train on. A pack's sweep gives up a slot only to a sweep that has
    /// waited PreemptAfter, has no free slot with room for its next pack but would have room in this one, and, with the
    /// slot, would still hold no more per unit of priority than the pack's sweep keeps (at equal priorities: it holds at
    /// least two fewer); the slot goes to that sweep once the pack releases it.</summary>
    [Alias("YieldSlot")]
    Task<string?> YieldSlotAsync(GrainId grain);

    /// <summary>Slots over the live silos.</summary>
    [Alias("GetCapacity")]
    Task<SlotCapacity> GetCapacityAsync();

    /// <summary>Every active silo's devices with the packs holding their slots, and the sweeps waiting for one.</summary>
    [Alias("GetSlots")]
    Task<ClusterSlots> GetSlotsAsync();

    [Alias("GetReservations")]
    Task<IReadOnlyList<SlotReservation>> GetReservationsAsync();
}
