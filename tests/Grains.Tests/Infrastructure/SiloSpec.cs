namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>What one test silo offers for training; <paramref name="CpuMemoryBytes"/>: its memory for CPU packs (null: the
/// machine's); <paramref name="MachineFreeBytes"/>: the machine's free memory as its CPU pack admission reads it (null:
/// read from the machine, as a silo does).</summary>
public sealed record SiloSpec(int Gpus, bool CpuTraining = false, int CpuSlots = 0, long? CpuMemoryBytes = null, long? MachineFreeBytes = null)
{
    public static SiloSpec NoTraining { get; } = new(0);
    public static SiloSpec TwoGpus { get; } = new(2);
    public static SiloSpec Cpu(int slots, long? memoryBytes = null) => new(0, true, slots, memoryBytes);
}
