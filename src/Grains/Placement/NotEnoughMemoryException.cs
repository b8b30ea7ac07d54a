namespace GradGuessCluster.Grains.Placement;

/// <summary>A pack's state would not fit in the memory its CPU slot's silo has left (<see cref="CpuPackMemory"/>); the
/// coordinator re-queues the pack, and its status says why.</summary>
[GenerateSerializer, Alias("gg.NotEnoughMemoryException")]
public sealed class NotEnoughMemoryException : Exception
{
    public NotEnoughMemoryException(string message) : base(message) { }
}
