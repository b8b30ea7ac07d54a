using GradGuessCluster.Grains.Placement;

namespace GradGuessCluster.Grains.Tests.Placement;

/// <summary>How free slots are shared among waiting sweeps: to the least-served first, each up to its queue.</summary>
public sealed class FairShareAllocationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, int> Allocate(int free, Dictionary<string, int> running, params (string Sweep, int Queued, int SecondsWaiting)[] waiting) =>
        FairShare.Allocate(free, running, waiting.Select(w => new SlotDemand(w.Sweep, w.Queued, T0.AddSeconds(-w.SecondsWaiting))));

    [Fact]
    public void OneSweep_TakesEveryFreeSlotItHasAPackFor()
    {
        Assert.Equal(new Dictionary<string, int> { ["a"] = 4 }, Allocate(4, new(), ("a", 10, 0)));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2 }, Allocate(4, new(), ("a", 2, 0)));
        Assert.Empty(Allocate(0, new(), ("a", 2, 0)));
    }

    [Fact]
    public void ASweepBehindOneThatFillsTheCluster_GetsTheFreedSlotsUntilBothRunAsMany()
    {
        Assert.Equal(new Dictionary<string, int> { ["b"] = 2 }, Allocate(2, new() { ["a"] = 2 }, ("a", 10, 60), ("b", 10, 1)));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 3 }, Allocate(4, new() { ["a"] = 2 }, ("a", 10, 60), ("b", 10, 1)));
    }

    [Fact]
    public void ASweepNeedingFewerThanItsPart_LeavesTheRestToTheOthers()
    {
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 5 }, Allocate(6, new(), ("a", 1, 5), ("b", 10, 1)));
        Assert.Equal(new Dictionary<string, int> { ["b"] = 1 }, Allocate(1, new(), ("a", 0, 5), ("b", 10, 1)));   // a waits for nothing
    }

    [Fact]
    public void BetweenEquallyServedSweeps_TheOneWaitingLongestGoesFirst_ThenByName()
    {
        Assert.Equal(new Dictionary<string, int> { ["b"] = 1 }, Allocate(1, new() { ["a"] = 1, ["b"] = 1 }, ("a", 5, 1), ("b", 5, 9)));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 }, Allocate(1, new(), ("b", 5, 3), ("a", 5, 3)));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 1 }, Allocate(3, new(), ("c", 5, 1), ("b", 5, 2), ("a", 5, 3)));
    }
}
