using GradGuessCluster.Grains.Placement;

namespace GradGuessCluster.Grains.Tests.Placement;

/// <summary>How free slots are shared among waiting sweeps: to the least-served first for its priority, each up to its
/// queue; and when a pack at an epoch's end gives its slot to a sweep that holds fewer.</summary>
public sealed class FairShareAllocationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, int> Equal = new();

    private static Dictionary<string, int> Allocate(int free, Dictionary<string, int> running, params (string Sweep, int Queued, int SecondsWaiting)[] waiting) =>
        Allocate(Equal, free, running, waiting);

    private static Dictionary<string, int> Allocate(Dictionary<string, int> priorities, int free, Dictionary<string, int> running,
        params (string Sweep, int Queued, int SecondsWaiting)[] waiting) =>
        FairShare.Allocate(free, running, waiting.Select(w => new SlotDemand(w.Sweep, w.Queued, T0.AddSeconds(-w.SecondsWaiting))), priorities);

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

    [Fact]
    public void FreeSlots_GoInProportionToThePriorities()
    {
        var aAt3 = new Dictionary<string, int> { ["a"] = 3 };
        // Three to one, whichever waited longer (the tie at one slot per unit of priority goes to the longer wait).
        Assert.Equal(new Dictionary<string, int> { ["a"] = 3, ["b"] = 1 }, Allocate(aAt3, 4, new(), ("a", 10, 60), ("b", 10, 1)));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 3, ["b"] = 1 }, Allocate(aAt3, 4, new(), ("a", 10, 1), ("b", 10, 60)));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2 }, Allocate(aAt3, 2, new(), ("a", 10, 1), ("b", 10, 60)));
        // a already holds three: the next free slot goes to b, the two after it to a (5 for 3 against 1 for 1, nearer than
        // 4 for 3 against 2 for 1); with equal priorities all three go to b.
        Assert.Equal(new Dictionary<string, int> { ["b"] = 1 }, Allocate(aAt3, 1, new() { ["a"] = 3 }, ("a", 10, 60), ("b", 10, 1)));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 }, Allocate(aAt3, 3, new() { ["a"] = 3 }, ("a", 10, 60), ("b", 10, 1)));
        Assert.Equal(new Dictionary<string, int> { ["b"] = 3 }, Allocate(3, new() { ["a"] = 3 }, ("a", 10, 60), ("b", 10, 1)));
        // A priority takes no more than the sweep's queue.
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 },
            Allocate(new() { ["a"] = 100 }, 3, new(), ("a", 1, 60), ("b", 10, 1)));
    }

    private static readonly (string, string)[] NoneYielding = [];

    /// <summary>Whom a pack of <paramref name="sweep"/> yields to, with waiting sweeps given as (name, queued, seconds
    /// waited) and yields needing 30 s of waiting.</summary>
    private static string? YieldTo(string sweep, int free, Dictionary<string, int> running, (string, string)[] yielding,
        params (string Sweep, int Queued, int SecondsWaiting)[] waiting) =>
        YieldTo(Equal, sweep, free, running, yielding, waiting);

    private static string? YieldTo(Dictionary<string, int> priorities, string sweep, int free, Dictionary<string, int> running,
        (string, string)[] yielding, params (string Sweep, int Queued, int SecondsWaiting)[] waiting) =>
        FairShare.YieldTo(sweep, _ => free == 0, running, waiting.Select(w => new SlotDemand(w.Sweep, w.Queued, T0.AddSeconds(-w.SecondsWaiting))),
            yielding, T0.AddSeconds(-30), priorities);

    [Fact]
    public void ASweepHoldingTwoMoreThanOneThatWaited_YieldsToIt_AndOneMoreOnly_Not()
    {
        Assert.Equal("b", YieldTo("a", 0, new() { ["a"] = 2 }, NoneYielding, ("b", 1, 60)));
        Assert.Equal("b", YieldTo("a", 0, new() { ["a"] = 3, ["b"] = 1 }, NoneYielding, ("b", 4, 60)));
        // With the slot, b would run more than a has left: the slots would only change hands.
        Assert.Null(YieldTo("a", 0, new() { ["a"] = 2, ["b"] = 1 }, NoneYielding, ("b", 4, 60)));
        Assert.Null(YieldTo("a", 0, new() { ["a"] = 1 }, NoneYielding, ("b", 4, 60)));
    }

    [Fact]
    public void NobodyYields_WhileASlotIsFree_OrTheWaitingSweepHasNotWaitedLongEnough_OrWaitsForNothing()
    {
        Assert.Null(YieldTo("a", 1, new() { ["a"] = 3 }, NoneYielding, ("b", 4, 60)));   // b takes the free slot
        Assert.Null(YieldTo("a", 0, new() { ["a"] = 4 }, NoneYielding, ("b", 4, 10)));
        Assert.Null(YieldTo("a", 0, new() { ["a"] = 4 }, NoneYielding, ("b", 0, 60)));
        Assert.Null(YieldTo("a", 0, new() { ["a"] = 4 }, NoneYielding, ("a", 4, 60)));   // its own queue
    }

    [Fact]
    public void SlotsAlreadyYielding_CountAsPassedOn()
    {
        // a runs 4 and b waits for 2: the first two packs of a to reach a checkpoint yield, the third does not.
        Assert.Equal("b", YieldTo("a", 0, new() { ["a"] = 4 }, NoneYielding, ("b", 2, 60)));
        Assert.Equal("b", YieldTo("a", 0, new() { ["a"] = 4 }, [("a", "b")], ("b", 2, 60)));
        Assert.Null(YieldTo("a", 0, new() { ["a"] = 4 }, [("a", "b"), ("a", "b")], ("b", 2, 60)));   // b has all it asked for
        Assert.Null(YieldTo("a", 0, new() { ["a"] = 4 }, [("a", "b"), ("a", "b")], ("b", 9, 60)));   // 2 and 2
    }

    [Fact]
    public void ThePackYieldsToTheLeastServedSweep_ThenTheOneWaitingLongest()
    {
        Assert.Equal("c", YieldTo("a", 0, new() { ["a"] = 5, ["b"] = 2, ["c"] = 1 }, NoneYielding, ("b", 3, 90), ("c", 3, 40)));
        Assert.Equal("b", YieldTo("a", 0, new() { ["a"] = 5, ["b"] = 1, ["c"] = 1 }, NoneYielding, ("c", 3, 40), ("b", 3, 90)));
        // c runs none but is owed two slots by another sweep's yields: b, running one, is served first.
        Assert.Equal("b", YieldTo("a", 0, new() { ["a"] = 5, ["b"] = 1, ["d"] = 4 }, [("d", "c"), ("d", "c")], ("c", 3, 90), ("b", 3, 40)));
    }

    [Fact]
    public void APackYieldsToASweepOfHigherPriority_WhileItWouldStillHoldNoMoreForItsPriority_AndNeverBack()
    {
        var bAt3 = new Dictionary<string, int> { ["b"] = 3 };
        // 2 and 2: b at priority 3 takes one (3 for 3 against 1 for 1); at equal priorities the gap is too small.
        Assert.Equal("b", YieldTo(bAt3, "a", 0, new() { ["a"] = 2, ["b"] = 2 }, NoneYielding, ("b", 4, 60)));
        Assert.Null(YieldTo("a", 0, new() { ["a"] = 2, ["b"] = 2 }, NoneYielding, ("b", 4, 60)));
        // After it, 1 and 3: a, waiting at priority 1, takes nothing back.
        Assert.Null(YieldTo(bAt3, "b", 0, new() { ["a"] = 1, ["b"] = 3 }, NoneYielding, ("a", 4, 60)));
        // A sweep at priority 4 holding 4 keeps them from one at 1 holding 1, which equal priorities would not.
        var aAt4 = new Dictionary<string, int> { ["a"] = 4 };
        Assert.Null(YieldTo(aAt4, "a", 0, new() { ["a"] = 4, ["b"] = 1 }, NoneYielding, ("b", 4, 60)));
        Assert.Equal("b", YieldTo("a", 0, new() { ["a"] = 4, ["b"] = 1 }, NoneYielding, ("b", 4, 60)));
        // Among waiting sweeps, the one holding least for its priority goes first: c (1 at 3) before b (0 at 1).
        Assert.Equal("c", YieldTo(new() { ["c"] = 3 }, "a", 0, new() { ["a"] = 5, ["c"] = 1 }, NoneYielding, ("b", 3, 90), ("c", 3, 40)));
    }
}
