using GradGuessCluster.Grains.Placement;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary><c>local</c> and <c>silo --cpu-training</c> without --cpu-slots: a pack per core on a CPU-only machine, one
/// beside GPUs; and how a silo names its slots when it becomes active.</summary>
public sealed class CpuSlotDefaultTests
{
    [Fact]
    public void CpuOnly_TrainsAPackPerCore_ThreadsPerPackCounted()
    {
        Assert.Equal(Environment.ProcessorCount, SiloSlots.DefaultCpuSlots(threadsPerCell: 1, gpus: 0));
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), SiloSlots.DefaultCpuSlots(threadsPerCell: 2, gpus: 0));
        Assert.Equal(1, SiloSlots.DefaultCpuSlots(threadsPerCell: Environment.ProcessorCount + 1, gpus: 0));   // never none
    }

    [Fact]
    public void BesideGpus_OneCpuSlot()
    {
        Assert.Equal(1, SiloSlots.DefaultCpuSlots(threadsPerCell: 1, gpus: 1));
        Assert.Equal(1, SiloSlots.DefaultCpuSlots(threadsPerCell: 1, gpus: 8));
    }

    [Theory]
    [InlineData(0, 1, true, 2, "2 CPU slots")]
    [InlineData(1, 1, false, 4, "1 GPU × 1 slot")]                         // CPU slots without CPU training are not offered
    [InlineData(2, 3, true, 1, "2 GPUs × 3 slots and 1 CPU slot")]
    [InlineData(0, 1, false, 0, "no training slot (it coordinates and serves clients only)")]
    public void Describe_NamesWhatTheSiloOffers(int gpus, int perGpu, bool cpu, int cpuSlots, string expected) =>
        Assert.Equal(expected, new SiloSlots(gpus, perGpu, cpu, cpuSlots).Describe());

    [Fact]
    public void Describe_NamesTheMemoryForCpuPacks_WhereTheSiloTrainsOnItsCpu()
    {
        Assert.Equal("2 CPU slots, whose packs may hold 16.0 GiB between them", new SiloSlots(0, 1, true, 2, 16L << 30).Describe());
        Assert.Equal("1 GPU × 1 slot", new SiloSlots(1, 1, false, 0, 16L << 30).Describe());
    }
}
