namespace GradGuessCluster.Grains.Placement;

/// <summary>Slot reservations by grain id, and the priorities of sweeps. Stored as strings so every storage serializer
/// handles them.</summary>
[GenerateSerializer, Alias("gg.GpuLedgerState")]
public sealed class GpuLedgerState
{
    [Id(0)] public Dictionary<string, LedgerEntry> Reservations { get; set; } = new();
    /// <summary>Priorities other than the default of sweeps holding or waiting for a slot. Kept with the reservations: a
    /// sweep whose packs all train asks the ledger nothing, so a moved ledger would otherwise weigh it as the default
    /// until its next pack ends. Null in ledgers written before priorities.</summary>
    [Id(1)] public Dictionary<string, int>? Priorities { get; set; }
}

/// <summary>One reservation: the silo (parsable address), the device, whether the activation claimed it, and what its
/// pack holds in the silo's memory on a CPU slot.</summary>
[GenerateSerializer, Alias("gg.LedgerEntry")]
public sealed class LedgerEntry
{
    [Id(0)] public string Silo { get; set; } = "";
    [Id(1)] public string Device { get; set; } = "";
    [Id(2)] public bool Claimed { get; set; }
    [Id(3)] public DateTimeOffset ReservedAt { get; set; }
    /// <summary>Last claim or lease renewal by the activation; a claimed slot not renewed in time is dropped.</summary>
    [Id(4)] public DateTimeOffset RenewedAt { get; set; }
    /// <summary>What the pack holds of its silo's memory for packs (<see cref="CpuPackMemory"/>): its state on a CPU slot,
    /// its rollback copy on a GPU slot; 0 when it holds none or it is not known (placed without a hint, or written before
    /// placement counted memory). Named for the CPU slots it first counted.</summary>
    [Id(5)] public long CpuBytes { get; set; }
}
