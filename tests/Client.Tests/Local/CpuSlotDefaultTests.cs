using GradGuessCluster.Client.Commands;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary><c>local</c> without --cpu-slots: a pack per core on a CPU-only machine, one beside GPUs.</summary>
public sealed class CpuSlotDefaultTests
{
    [Fact]
    public void CpuOnly_TrainsAPackPerCore_ThreadsPerPackCounted()
    {
        Assert.Equal(Environment.ProcessorCount, LocalCommand.DefaultCpuSlots(threads: 1, gpusInUse: 0));
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), LocalCommand.DefaultCpuSlots(threads: 2, gpusInUse: 0));
        Assert.Equal(1, LocalCommand.DefaultCpuSlots(threads: Environment.ProcessorCount + 1, gpusInUse: 0));   // never none
    }

    [Fact]
    public void BesideGpus_OneCpuSlot()
    {
        Assert.Equal(1, LocalCommand.DefaultCpuSlots(threads: 1, gpusInUse: 1));
        Assert.Equal(1, LocalCommand.DefaultCpuSlots(threads: 1, gpusInUse: 8));
    }
}
