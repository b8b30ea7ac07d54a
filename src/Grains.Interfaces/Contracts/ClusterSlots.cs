namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The cluster's training slots as the slot ledger sees them: every active silo's devices and the packs holding
/// their slots, and the sweeps waiting for one (<c>gradguess slots</c>). <paramref name="PreemptAfter"/>: how long a
/// sweep waits before a sweep holding at least two slots more (for their priorities) gives one up, checkpointing where
/// it stops (zero: never). <paramref name="Priorities"/>: the sweeps holding or waiting for a slot whose priority is not
/// the default.</summary>
[GenerateSerializer, Immutable, Alias("gg.ClusterSlots")]
public sealed record ClusterSlots(
    [property: Id(0)] IReadOnlyList<SiloSlotsView> Silos,
    [property: Id(1)] IReadOnlyList<SlotWait> Waiting,
    [property: Id(2)] TimeSpan PreemptAfter = default,
    [property: Id(3)] IReadOnlyDictionary<string, int>? Priorities = null)
{
    /// <summary>The priority the ledger weighs <paramref name="sweep"/>'s share with.</summary>
    public int PriorityOf(string sweep) => Priorities?.GetValueOrDefault(sweep, Validation.SweepPriority.Default) ?? Validation.SweepPriority.Default;
}

/// <summary>One active silo: its name, its address, and its devices in the order packs are placed on them.</summary>
[GenerateSerializer, Immutable, Alias("gg.SiloSlotsView")]
public sealed record SiloSlotsView(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Address,
    [property: Id(2)] IReadOnlyList<DeviceSlotsView> Devices);

/// <summary>A device ("cuda:N" or "cpu"), its slots, and the packs holding them. On the CPU, <paramref name="HeldBytes"/>:
/// what those packs hold at least, as placement counts them, of the silo's <paramref name="MemoryBytes"/> for CPU packs
/// (0: not advertised, or a GPU).</summary>
[GenerateSerializer, Immutable, Alias("gg.DeviceSlotsView")]
public sealed record DeviceSlotsView(
    [property: Id(0)] string Device,
    [property: Id(1)] int Slots,
    [property: Id(2)] IReadOnlyList<SlotHolder> Held,
    [property: Id(3)] long MemoryBytes = 0,
    [property: Id(4)] long HeldBytes = 0);

/// <summary>A pack holding a slot: <paramref name="Training"/> once its activation claimed the slot (before, placement has
/// reserved it), since <paramref name="Since"/>; <paramref name="YieldingTo"/> names the sweep it is giving the slot to.</summary>
[GenerateSerializer, Immutable, Alias("gg.SlotHolder")]
public sealed record SlotHolder(
    [property: Id(0)] string Sweep,
    [property: Id(1)] string Pack,
    [property: Id(2)] bool Training,
    [property: Id(3)] DateTimeOffset Since,
    [property: Id(4)] string? YieldingTo);

/// <summary>A sweep with <paramref name="Packs"/> ready packs waiting for a slot since <paramref name="Since"/>.</summary>
[GenerateSerializer, Immutable, Alias("gg.SlotWait")]
public sealed record SlotWait(
    [property: Id(0)] string Sweep,
    [property: Id(1)] int Packs,
    [property: Id(2)] DateTimeOffset Since);
