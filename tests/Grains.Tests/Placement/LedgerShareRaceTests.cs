using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Placement;

/// <summary>The slot ledger's answers between a grant and what follows it: a yield told to a pack whose answer was lost,
/// a reservation made without a grant, and a lease re-taken by a renewal, each beside a sweep waiting or promised slots.
/// Driven through the ledger's own calls, as coordinators and training grains make them.</summary>
public sealed class LedgerShareRaceTests
{
    private static GrainId Pack(string sweep, char id) =>
        GrainId.Create(TrainingCellGrain.GrainTypeName, TrainingCellKeys.For(sweep, new string(id, 16)));

    /// <summary>A pack asks again when the answer "yield to b" was lost; b got what it waited for meanwhile (here: it
    /// stopped waiting). Before, the remembered answer was repeated unchecked: the pack stopped for nobody.</summary>
    [Fact]
    public async Task AYieldAskedAgain_IsToldOnlyWhileTheSweepItWasForStillWaits()
    {
        // The ledger forgets a sweep that has not asked for three watchdog intervals (the test cluster's 500 ms): a stall of
        // the machine between b's ask and the yields would read as b giving up. Ten seconds leave the window to the test.
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero),
            configure: o => (o.PreemptAfter, o.WatchdogInterval) = (TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10)));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var silo = cluster.Cluster.Silos[0].SiloAddress;
        foreach (var pack in new[] { Pack("a", '1'), Pack("a", '2') })
            Assert.NotNull(await ledger.ClaimAsync(pack, silo, null, 0));
        Assert.Equal(0, (await ledger.GetShareAsync("b", 1, 1)).Granted);
        await Task.Delay(300);
        Assert.Equal("b", await ledger.YieldSlotAsync(Pack("a", '1')));
        Assert.Equal("b", await ledger.YieldSlotAsync(Pack("a", '1')));   // asked again while b waits: the same answer

        await ledger.GetShareAsync("b", 0, 1);   // b waits no more
        Assert.Null(await ledger.YieldSlotAsync(Pack("a", '1')));
    }

    /// <summary>A pack placed without a grant (one its watchdog starts again after its silo died) does not take the slot
    /// the ledger just promised another sweep; that sweep's own pack does.</summary>
    [Fact]
    public async Task AReservationWithoutAGrant_LeavesASlotPromisedToAnotherSweep()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero),
            configure: o => o.WatchdogInterval = TimeSpan.FromSeconds(5));   // a promise lasts three intervals
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var silo = cluster.Cluster.Silos[0].SiloAddress;
        Assert.Equal(1, (await ledger.GetShareAsync("b", 1, 1)).Granted);
        Assert.Null(await ledger.ReserveAsync(Pack("a", '1'), [silo], 0));
        Assert.Equal(silo, await ledger.ReserveAsync(Pack("b", '1'), [silo], 0));
    }

    /// <summary>A renewal re-taking its pack's lapsed lease was granted its slot long ago: it leaves the promise its sweep
    /// holds for another pack, so that slot is not handed to a third sweep meanwhile.</summary>
    [Fact]
    public async Task ALeaseRetakenByItsRenewal_LeavesItsSweepsPromiseForAnotherPack()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero),
            configure: o => o.WatchdogInterval = TimeSpan.FromSeconds(5));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var silo = cluster.Cluster.Silos[0].SiloAddress;
        Assert.Equal(1, (await ledger.GetShareAsync("a", 1, 1)).Granted);
        // A pack of a, training all along, renews a lease the ledger no longer holds (it lapsed, or the ledger moved).
        Assert.NotNull(await ledger.ClaimAsync(Pack("a", '1'), silo, SiloSlots.CpuDevice, 0));
        Assert.Equal(0, (await ledger.GetShareAsync("b", 1, 1)).Granted);   // the other slot is a's, promised
        Assert.Equal(silo, await ledger.ReserveAsync(Pack("a", '2'), [silo], 0));
    }
}
