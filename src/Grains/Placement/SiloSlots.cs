using System.Globalization;
using GradGuessCluster.Training;

namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// A silo's training slots as advertised in its metadata: <c>gpu.count</c> devices with <c>gpu.slots</c> packs each,
/// plus <c>cpu.slots</c> CPU slots where <c>cpu.training</c> is true, whose packs may hold <c>cpu.memory</c> bytes
/// between them (<see cref="CpuPackMemory"/>; 0: not advertised, as by silos of earlier builds). Metadata is static per
/// silo; occupancy lives in the <see cref="GpuLedgerGrain"/>.
/// </summary>
public sealed record SiloSlots(int GpuCount, int SlotsPerGpu, bool CpuTraining, int CpuSlots, long CpuMemoryBytes = 0)
{
    public const string GpuCountKey = "gpu.count";
    public const string GpuSlotsKey = "gpu.slots";
    public const string CpuTrainingKey = "cpu.training";
    public const string CpuSlotsKey = "cpu.slots";
    public const string CpuMemoryKey = "cpu.memory";
    public const string CpuDevice = "cpu";

    /// <summary>Bounds on what a silo may offer: far past any machine, and low enough that the ledger's sums over a
    /// cluster's silos stay ints (a "2000000000 slots" meant as "unlimited" made every share ask overflow).</summary>
    public const int MaxSlots = 1024, MaxGpus = 256;

    public static SiloSlots None { get; } = new(0, 0, false, 0);

    /// <summary>Devices in preference order (GPUs first) with their slot counts.</summary>
    public IEnumerable<(string Device, int Slots)> Devices =>
        Enumerable.Range(0, GpuCount).Select(i => ($"cuda:{i}", SlotsPerGpu))
            .Concat(CpuTraining && CpuSlots > 0 ? [(CpuDevice, CpuSlots)] : []);

    public int Total => Devices.Sum(d => d.Slots);

    /// <summary>CPU slots when none are asked for: every core trains (a pack per core at <paramref name="threadsPerCell"/>
    /// threads each) where the CPU is all there is; beside GPUs one, since the CPU also feeds the GPUs and a pack on it
    /// would end long after theirs.</summary>
    public static int DefaultCpuSlots(int threadsPerCell, int gpus) =>
        gpus > 0 ? 1 : Math.Max(1, Environment.ProcessorCount / threadsPerCell);

    /// <summary>"1 GPU × 2 slots and 4 CPU slots, whose packs may hold 16.0 GiB between them", for a silo's start-up
    /// line.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (GpuCount > 0) parts.Add($"{Units.Count(GpuCount, "GPU")} × {Units.Count(SlotsPerGpu, "slot")}");
        if (CpuTraining && CpuSlots > 0)
            parts.Add(Units.Count(CpuSlots, "CPU slot") + (CpuMemoryBytes > 0 ? $", whose packs may hold {Units.Bytes(CpuMemoryBytes)} between them" : ""));
        return parts.Count == 0 ? "no training slot (it coordinates and serves clients only)" : string.Join(" and ", parts);
    }

    public Dictionary<string, string> ToMetadata() => new()
    {
        [GpuCountKey] = Text(GpuCount),
        [GpuSlotsKey] = Text(SlotsPerGpu),
        [CpuTrainingKey] = CpuTraining ? "true" : "false",
        [CpuSlotsKey] = Text(CpuSlots),
        [CpuMemoryKey] = CpuMemoryBytes.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Reads the metadata; a silo whose metadata has not arrived yet (or that has none) offers nothing.</summary>
    public static SiloSlots From(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.ContainsKey(GpuCountKey) && !metadata.ContainsKey(CpuTrainingKey)) return None;
        // Clamped: a silo of another build (or metadata set by hand) is held to the bounds this one validates.
        return new SiloSlots(
            Math.Min(Int(metadata, GpuCountKey), MaxGpus), Math.Min(Int(metadata, GpuSlotsKey), MaxSlots),
            metadata.TryGetValue(CpuTrainingKey, out var cpu) && cpu.Equals("true", StringComparison.OrdinalIgnoreCase),
            Math.Min(Int(metadata, CpuSlotsKey), MaxSlots),
            metadata.TryGetValue(CpuMemoryKey, out var memory) && long.TryParse(memory, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : 0);
    }

    /// <summary>Whether a CPU pack holding <paramref name="bytes"/> fits beside CPU packs holding <paramref name="held"/>:
    /// always where the silo advertises no memory or the pack's size is not known (0).</summary>
    public bool CpuMemoryFits(long held, long bytes) => bytes <= 0 || CpuMemoryBytes <= 0 || held + bytes <= CpuMemoryBytes;

    /// <summary>The device index for the slot gauges: N for "cuda:N", -1 for the CPU.</summary>
    public static int DeviceIndex(string device) =>
        device.StartsWith("cuda:", StringComparison.Ordinal) ? int.Parse(device[5..], CultureInfo.InvariantCulture) : -1;

    private static int Int(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
