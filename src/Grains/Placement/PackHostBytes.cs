namespace GradGuessCluster.Grains.Placement;

/// <summary>What a pack holds of its silo's host memory: on a CPU slot (<paramref name="Cpu"/>, its whole state), and on a
/// GPU slot (<paramref name="Gpu"/>, its rollback copy; 0 with checkpoints every epoch). 0: not known, fits anywhere.</summary>
public readonly record struct PackHostBytes(long Cpu, long Gpu)
{
    /// <summary>The figure for a slot on <paramref name="device"/>.</summary>
    public long On(string device) => device == SiloSlots.CpuDevice ? Cpu : Gpu;
}
