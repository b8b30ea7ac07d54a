using GradGuessCluster.Client.Planning;

namespace GradGuessCluster.Client.Local;

/// <summary>
/// Before <c>local</c> trains: can this machine hold the packs its CPU slots train at once? Without the room, the kernel
/// kills the process for memory mid-epoch (SIGKILL: no checkpoint of that epoch, no message of ours). A warning, not a
/// refusal: the figure is a lower bound, and memory can be freed while the sweep runs. GPU slots hold their packs in
/// device memory and are not counted.
/// </summary>
internal static class TrainingMemory
{
    /// <summary>The warning for this machine's memory (the GC's figure: physical memory, or the container's limit).</summary>
    public static string? Check(long packBytes, int packsAtOnce, bool withCopy) =>
        Warning(packBytes, packsAtOnce, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, withCopy);

    /// <param name="packBytes">The least memory the largest pack holds while it trains (the plan's figure).</param>
    /// <param name="packsAtOnce">Packs training at once on the CPU.</param>
    /// <param name="machineBytes">The memory this process may use.</param>
    /// <param name="withCopy">Whether the figure counts the copy kept to roll back to (checkpointEvery above 1).</param>
    public static string? Warning(long packBytes, int packsAtOnce, long machineBytes, bool withCopy)
    {
        long needed = packBytes * packsAtOnce;
        return packsAtOnce == 0 || needed <= machineBytes ? null
            : $"a training pack holds at least {PlanView.Bytes(packBytes)} (weights, gradient, optimizer state" +
              (withCopy ? " and their copy for a stop mid-epoch to roll back to" : "") +
              $"), so {packsAtOnce} at once need {PlanView.Bytes(needed)}, and this machine has {PlanView.Bytes(machineBytes)}: " +
              "a pack that does not fit is killed mid-epoch (give fewer --cpu-slots, a smaller model, " +
              (withCopy ? "checkpointEvery: 1 (no copy), " : "") + "or packing: none if cells are packed)";
    }
}
