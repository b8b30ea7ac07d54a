using GradGuessCluster.Client.Local;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>The embedded silo's two ports are different ports: asked for one after the other, each released before the
/// next, the kernel picks at random and can give the same one twice (about one pair in 15,000 here).</summary>
public sealed class FreePortsTests
{
    [Fact]
    public void Distinct_ManyPorts_AreAllDifferent()
    {
        // 500 ports one at a time repeat some nearly always (about 9 repeats expected in a range of 28,000).
        var ports = FreePorts.Distinct(500);
        Assert.Equal(500, ports.Length);
        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 1, 65535));
    }

    [Fact]
    public void Pair_GivesTwoDifferentFreePorts()
    {
        var (silo, gateway) = FreePorts.Pair();
        Assert.NotEqual(silo, gateway);
        Assert.True(FreePorts.IsFree(silo) && FreePorts.IsFree(gateway));   // released once read
    }
}
