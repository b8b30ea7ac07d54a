using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Local;

/// <summary>
/// Before <c>local</c> trains: can this machine hold the packs its CPU slots train at once? A silo starts a CPU pack only
/// while the packs' state fits the machine's memory (<c>CpuPackMemory</c>), so slots past it stay idle, and a pack larger
/// than the machine never starts. The figure is a lower bound (activations and data come on top): a pack it admits can
/// still be killed by the kernel mid-epoch. GPU slots hold their packs in device memory and are not counted.
/// </summary>
internal static class TrainingMemory
{
    /// <summary>The warning for this machine's memory, as a silo counts it.</summary>
    public static string? Check(long packBytes, int packsAtOnce, bool withCopy) =>
        Warning(packBytes, packsAtOnce, CpuPackMemory.MachineBytes, withCopy);

    /// <param name="packBytes">The least memory the largest pack holds while it trains (the plan's figure).</param>
    /// <param name="packsAtOnce">Packs training at once on the CPU.</param>
    /// <param name="machineBytes">The memory this process may use.</param>
    /// <param name="withCopy">Whether the figure counts the copy kept to roll back to (checkpointEvery above 1).</param>
    public static string? Warning(long packBytes, int packsAtOnce, long machineBytes, bool withCopy)
    {
        long needed = packBytes * packsAtOnce;
        if (packsAtOnce == 0 || needed <= machineBytes || packBytes > machineBytes) return null;   // the last: Refusal's
        long fit = machineBytes / packBytes;
        return $"{Holds(packBytes, withCopy)}, so {packsAtOnce} at once need {Units.Bytes(needed)}, and this machine has " +
               $"{Units.Bytes(machineBytes)}: only {fit} will train at once, the others waiting for memory " +
               $"(give fewer --cpu-slots, {WaysOut(withCopy)})";
    }

    /// <summary>The warning for a pack that fits the machine's memory but not what is free of it now (other processes hold
    /// the rest): it waits until that much is free, as the silo re-reads the figure at each try. Null when it fits, or
    /// where the figure is unknown.</summary>
    public static string? FreeNow(long packBytes, long? freeBytes, bool withCopy) =>
        freeBytes is { } free && packBytes > free
            ? $"{Holds(packBytes, withCopy)}, and this machine has {Units.Bytes(free)} free now: the other processes hold the rest, " +
              "and the packs wait until that much is free"
            : null;

    /// <summary>Why a pack could never train on this machine's CPU, or null: its state alone is larger than the memory.</summary>
    public static string? Refusal(long packBytes, long machineBytes, bool withCopy) =>
        packBytes <= machineBytes ? null
            : $"{Holds(packBytes, withCopy)}, more than this machine's {Units.Bytes(machineBytes)}: it could never train on its " +
              $"CPU (give {WaysOut(withCopy)})";

    private static string Holds(long packBytes, bool withCopy) =>
        $"a training pack holds at least {Units.Bytes(packBytes)} (weights, gradient, optimizer state" +
        (withCopy ? " and their copy for a stop mid-epoch to roll back to" : "") + ")";

    private static string WaysOut(bool withCopy) =>
        "a smaller model, " + (withCopy ? "checkpointEvery: 1 (no copy), " : "") + "or packing: none if cells are packed";
}
