namespace GradGuessCluster.Grains.Placement;

/// <summary>What a pack holds in host memory (a CPU pack's state, a GPU pack's rollback copy) would not fit in the memory
/// its silo has left (<see cref="CpuPackMemory"/>); the coordinator re-queues the pack, and its status says why.</summary>
[GenerateSerializer, Alias("gg.NotEnoughMemoryException")]
public sealed class NotEnoughMemoryException : Exception
{
    public NotEnoughMemoryException(string message) : base(message) { }
}
