using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Placement;

/// <summary>Slots granted to a sweep whose packs have not reserved them yet are held for it: not handed to another sweep
/// in that moment, and no longer counted as its demand.</summary>
public sealed class SlotPromisesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public void PromisedSlots_CountAsHeld_UntilRedeemedByReservations_OrWithdrawn_OrLapsed()
    {
        var promises = new SlotPromises(Interval);
        promises.Grant("a", 2, T0);
        var (free, holding) = promises.Apply(3, new Dictionary<string, int> { ["b"] = 1 }, T0);
        Assert.Equal((1, 2, 1), (free, holding["a"], holding["b"]));
        // One of a's packs reserved its slot: one free slot fewer, one promise fewer, a still holds 2.
        promises.Redeem("a", "p1");
        (free, holding) = promises.Apply(2, new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }, T0);
        Assert.Equal((1, 2), (free, holding["a"]));
        promises.Redeem("a", "p1");   // the same pack again (it claimed on another silo than placement reserved): no slot more
        Assert.Equal((1, 2), promises.Apply(2, new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }, T0) is var (f, h) ? (f, h["a"]) : default);
        promises.Redeem("a", "p2");
        promises.Redeem("a", "p3");   // more reservations than promised take nothing from others
        promises.Redeem(null, "p4");
        Assert.Equal(1, promises.Apply(1, new Dictionary<string, int>(), T0).Free);

        promises.Grant("a", 1, T0);
        promises.Withdraw("a");
        Assert.Equal(1, promises.Apply(1, new Dictionary<string, int>(), T0).Free);
        promises.Grant("a", 1, T0);
        Assert.Equal(0, promises.Apply(1, new Dictionary<string, int>(), T0 + 3 * Interval).Free);
        Assert.Equal(1, promises.Apply(1, new Dictionary<string, int>(), T0 + 3 * Interval + TimeSpan.FromTicks(1)).Free);
    }

    [Fact]
    public void AnAskingSweep_WaitsAfterItsGrant_OnlyForWhatItWasNotGranted()
    {
        var demands = new SlotDemands(Interval);
        var none = new Dictionary<string, int>();
        Assert.Equal(2, demands.Ask("a", 3, default, T0, 2, none, none)["a"]);
        Assert.Equal(("a", 1, T0), Assert.Single(demands.Current(T0), d => d.Sweep == "a") is var d ? (d.Sweep, d.Queued, d.Since) : default);
        Assert.Equal(1, demands.Ask("a", 1, default, T0.AddSeconds(1), 1, none, none)["a"]);
        Assert.Empty(demands.Current(T0.AddSeconds(1)));
    }

    [Fact]
    public async Task ASlotGrantedToOneSweep_IsNotGrantedToAnotherBeforeItsPackReservesIt()
    {
        // A grant lapses after three watchdog intervals: long ones, so that a stalled machine cannot let it lapse mid-test.
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero),
            configure: o => o.WatchdogInterval = TimeSpan.FromSeconds(5));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        Assert.Equal(1, (await ledger.GetShareAsync("a", 1, 1)).Granted);
        // b asks in the moment between a's grant and its pack's reservation: the slot is a's.
        Assert.Equal(0, (await ledger.GetShareAsync("b", 1, 1)).Granted);
        var silo = cluster.Cluster.Silos[0].SiloAddress;
        var pack = GrainId.Create(TrainingCellGrain.GrainTypeName, TrainingCellKeys.For("a", "0123456789abcdef"));
        Assert.Equal(silo, await ledger.ReserveAsync(pack, [silo], 0));
        Assert.Equal(0, (await ledger.GetShareAsync("b", 1, 1)).Granted);
        // Released, the slot goes to b, which waits; a, its grant used, no longer does.
        await ledger.ReleaseAsync(pack);
        Assert.Equal(1, (await ledger.GetShareAsync("b", 1, 1)).Granted);
    }
}
