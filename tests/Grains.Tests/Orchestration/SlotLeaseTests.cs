using Orleans.Runtime;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A training grain whose slot the ledger gave away (its lease lapsed while the ledger was unreachable) must not
/// go on training beside the new holder: never more cells on a device than its slots.</summary>
public sealed class SlotLeaseTests
{
    [Fact]
    public async Task Pack_WhoseSlotWasGivenAway_StopsAndWaitsInTheQueue_ThenFinishesItsCurveWhole()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(40));
        var spec = TestSpecs.Small("lease", [0.1], epochs: 150) with { CheckpointEvery = 5 };
        var hold = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => hold.For(s, trainer),
            configure: o => o.SlotLeaseRenewal = TimeSpan.FromMilliseconds(200));
        // The pack waits after epoch 2 (its lease renewals go on) until it stops for the lost slot: the slot is taken
        // mid-pack for certain, however slow the machine.
        hold.HoldAfter(cluster.Cluster.Silos.Single().Name, 2);
        await cluster.Sweep("lease").SubmitAsync(spec);
        await cluster.WaitForAsync("lease", s => s.Cells.Single().Epoch >= 2, TimeSpan.FromSeconds(30), "did not get going");

        // The ledger drops the pack's claim, as a lapsed lease would, and another grain takes the only slot.
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var held = (await ledger.GetReservationsAsync()).Single();
        var intruder = GrainId.Create("gg-training", "intruder/p0");
        for (int attempt = 0; ; attempt++)
        {
            await ledger.ReleaseAsync(held.Grain);
            if (await ledger.ClaimAsync(intruder, held.Silo, null, 0) is not null) break;
            Assert.True(attempt < 20, "the intruder never got the slot");   // the pack's renewal re-claimed it in between
        }

        await cluster.WaitForAsync("lease", s => s.Cells.Single().State == CellState.Queued,
            TimeSpan.FromSeconds(30), "the pack went on training without a slot");
        await Task.Delay(600);                                    // three renewal periods: it stays queued
        var waiting = (await cluster.Sweep("lease").GetStatusAsync())!.Cells.Single();
        Assert.Equal(CellState.Queued, waiting.State);
        Assert.True(waiting.Epoch < spec.Epochs, "the pack finished while it had no slot");
        Assert.All(await ledger.GetReservationsAsync(), r => Assert.Equal(intruder, r.Grain));

        hold.Release();
        await ledger.ReleaseAsync(intruder);
        var final = await cluster.WaitForFinishAsync("lease", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, final.State);
        var curve = (await cluster.Sweep("lease").GetCurvesAsync(null)).Single();
        Curves.AssertUninterrupted(curve, spec, trainer);
    }

    [Fact]
    public async Task ReleaseUnclaimed_FreesOnlyAReservationNoActivationClaimed()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var silo = cluster.Cluster.Silos.Single().SiloAddress;
        var failed = GrainId.Create("gg-training", "s/failed");
        var training = GrainId.Create("gg-training", "s/training");

        // Placement reserved the slot, then the activation failed before claiming it: the slot goes back.
        Assert.Equal(silo, await ledger.ReserveAsync(failed, [silo], 0));
        Assert.True(await ledger.ReleaseUnclaimedAsync(failed));
        Assert.Empty(await ledger.GetReservationsAsync());
        Assert.False(await ledger.ReleaseUnclaimedAsync(failed));

        // A claimed slot (a pack that may be training) stays, whoever asks.
        Assert.Equal(silo, await ledger.ReserveAsync(training, [silo], 0));
        Assert.NotNull(await ledger.ClaimAsync(training, silo, null, 0));
        Assert.False(await ledger.ReleaseUnclaimedAsync(training));
        Assert.Equal(training, Assert.Single(await ledger.GetReservationsAsync()).Grain);
        Assert.Equal(0, (await ledger.GetCapacityAsync()).Free);
    }

    /// <summary>Slots come back without anyone releasing them: a reservation no activation claimed (its start never came),
    /// and a claim no activation renewed (its silo cut off from the ledger), each after its own time limit.</summary>
    [Fact]
    public async Task TheLedger_DropsAReservationNobodyClaimed_AndAClaimNobodyRenewed_OnTime()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(3)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero),
            configure: o => (o.UnclaimedReservationTimeout, o.SlotLeaseTimeout) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var silo = cluster.Cluster.Silos.Single().SiloAddress;
        var (reserved, claimed, later) = (GrainId.Create("gg-training", "s/reserved"), GrainId.Create("gg-training", "s/claimed"),
            GrainId.Create("gg-training", "s/later"));
        Assert.Equal(silo, await ledger.ReserveAsync(reserved, [silo], 0));
        Assert.NotNull(await ledger.ClaimAsync(claimed, silo, null, 0));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(silo, await ledger.ReserveAsync(later, [silo], 0));   // each call drops what has lapsed first
        Assert.Equal([claimed, later], (await ledger.GetReservationsAsync()).Select(r => r.Grain).OrderBy(g => g.ToString()));
        await Task.Delay(TimeSpan.FromSeconds(4));                          // the claim, never renewed, is 5.5 s old
        Assert.NotNull(await ledger.ClaimAsync(later, silo, null, 0));      // 'later' lapsed too, and its claim takes a slot again
        Assert.Equal(later, Assert.Single(await ledger.GetReservationsAsync()).Grain);
    }

    /// <summary>An activation's stop can outlive its pack's move (a slow deactivation): released by grain id alone, its
    /// release took the slot the pack had just claimed on the other silo, and the ledger gave that device out twice.</summary>
    [Fact]
    public async Task AStaleActivationsRelease_LeavesTheSlotItsPackClaimedOnAnotherSilo()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1), SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var (old, now) = (cluster.Cluster.Silos[0].SiloAddress, cluster.Cluster.Silos[1].SiloAddress);
        var pack = GrainId.Create("gg-training", "s/moved");

        Assert.NotNull(await ledger.ClaimAsync(pack, now, null, 0));   // the pack's run on its new silo
        await ledger.ReleaseFromAsync(pack, old);                        // its old activation's late stop
        Assert.Equal(now, Assert.Single(await ledger.GetReservationsAsync()).Silo);
        await ledger.ReleaseFromAsync(pack, now);                        // its own run's end
        Assert.Empty(await ledger.GetReservationsAsync());

        // A reservation nobody claimed is no run's: any activation of the pack that ends gives it back.
        Assert.Equal(now, await ledger.ReserveAsync(pack, [now], 0));
        await ledger.ReleaseFromAsync(pack, old);
        Assert.Empty(await ledger.GetReservationsAsync());
    }

    [Fact]
    public async Task AStaleActivationsRenewal_DoesNotTakeTheSlotItsPackClaimedOnAnotherSilo()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1), SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var (old, now) = (cluster.Cluster.Silos[0].SiloAddress, cluster.Cluster.Silos[1].SiloAddress);
        var pack = GrainId.Create("gg-training", "s/moved");

        var device = (await ledger.ClaimAsync(pack, old, null, 0))!.Device;   // its run on a silo later declared dead
        Assert.NotNull(await ledger.ClaimAsync(pack, now, null, 0));            // its run on the silo it moved to
        Assert.Null(await ledger.ClaimAsync(pack, old, device, 0));             // the old run's lease timer, still ticking
        Assert.Equal(now, Assert.Single(await ledger.GetReservationsAsync()).Silo);
    }

    [Fact]
    public async Task AStaleActivationsRenewal_StoresTheLeasesItsCallFoundLapsed()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2), SiloSpec.Cpu(2)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero),
            configure: o => o.SlotLeaseTimeout = TimeSpan.FromSeconds(6));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var (old, now) = (cluster.Cluster.Silos[0].SiloAddress, cluster.Cluster.Silos[1].SiloAddress);
        var lapsed = GrainId.Create("gg-training", "s/lapsed");
        var moved = GrainId.Create("gg-training", "s/moved");

        Assert.NotNull(await ledger.ClaimAsync(lapsed, old, null, 0));            // never renewed
        await Task.Delay(TimeSpan.FromSeconds(3));
        var device = (await ledger.ClaimAsync(moved, old, null, 0))!.Device;
        Assert.NotNull(await ledger.ClaimAsync(moved, now, null, 0));
        await Task.Delay(TimeSpan.FromSeconds(3.5));                              // lapsed's lease is over, moved's is not
        Assert.Null(await ledger.ClaimAsync(moved, old, device, 0));              // the stale renewal's call prunes lapsed

        // Stored: a ledger activated again (its silo died) would count lapsed's lease anew from its own start.
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal([moved], (await ledger.GetReservationsAsync()).Select(r => r.Grain));
    }

    [Fact]
    public async Task ALedgerActivatedAgain_CountsTheLeasesItReadsFromItsOwnStart()
    {
        // The ledger's silo died: no renewal could reach it meanwhile, and the times it stored are another host's clock.
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero),
            configure: o => o.SlotLeaseTimeout = TimeSpan.FromSeconds(2));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var silo = cluster.Cluster.Silos.Single().SiloAddress;
        var pack = GrainId.Create("gg-training", "s/running");
        Assert.NotNull(await ledger.ClaimAsync(pack, silo, null, 0));          // stored before it answers

        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Task.Delay(TimeSpan.FromSeconds(3));                              // past the lease, with no renewal
        // The first call of the new activation prunes: the pack's lease runs from that activation, not from its last
        // renewal, and the pack renews it in time.
        Assert.Null(await ledger.ClaimAsync(GrainId.Create("gg-training", "s/other"), silo, null, 0));   // its only slot is held
        Assert.Equal(pack, Assert.Single(await ledger.GetReservationsAsync()).Grain);
    }

    [Fact]
    public async Task ARenewalAfterTheLeaseLapsed_TakesTheDeviceThePackTrainsOn_OrNone()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.TwoGpus], _ => new NoOpPackTrainerFactory(TimeSpan.Zero));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var silo = cluster.Cluster.Silos.Single().SiloAddress;
        var pack = GrainId.Create("gg-training", "s/pack");
        var other = GrainId.Create("gg-training", "s/other");

        var device = (await ledger.ClaimAsync(pack, silo, null, 0))!.Device;
        await ledger.ReleaseAsync(pack);   // its lease lapsed, as while the ledger was unreachable
        Assert.Equal(device, (await ledger.ClaimAsync(other, silo, null, 0))!.Device);   // and its device went to another pack

        // The pack still trains on its device: a slot on the other one is no lease for it.
        Assert.Null(await ledger.ClaimAsync(pack, silo, device, 0));
        Assert.Equal([other], (await ledger.GetReservationsAsync()).Select(r => r.Grain));
        await ledger.ReleaseAsync(other);
        Assert.Equal(device, (await ledger.ClaimAsync(pack, silo, device, 0))!.Device);
    }

    [Fact]
    public async Task AYieldWhoseReleaseWasLost_IsNotToldAgainToTheNextRunOfThatPack()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero),
            configure: o => o.PreemptAfter = TimeSpan.FromMilliseconds(50));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        var silo = cluster.Cluster.Silos.Single().SiloAddress;
        var packs = new[] { "0123456789abcdef", "fedcba9876543210" }
            .Select(id => GrainId.Create(TrainingCellGrain.GrainTypeName, TrainingCellKeys.For("a", id))).ToArray();
        Assert.Equal(2, (await ledger.GetShareAsync("a", 2, 1)).Granted);
        foreach (var pack in packs) Assert.NotNull(await ledger.ClaimAsync(pack, silo, null, 0));
        Assert.Equal(0, (await ledger.GetShareAsync("b", 1, 1)).Granted);
        await Task.Delay(200);   // b has waited past the preemption wait, while a holds both slots
        Assert.Equal("b", await ledger.YieldSlotAsync(packs[0]));

        // Its release is lost; the pack starts its next run on the same slot, and b no longer waits.
        Assert.NotNull(await ledger.ClaimAsync(packs[0], silo, null, 0));
        await ledger.GetShareAsync("b", 0, 1);
        Assert.Null(await ledger.YieldSlotAsync(packs[0]));
    }

    /// <summary>A stop sent to a pack that is not running anywhere (its silo died, its start never came, as a cancel does
    /// for every pack the ledger shows running) activates its grain through placement, which reserves a slot for it.
    /// Nothing claimed that slot, so it was kept from every other pack until the reservation lapsed (a minute).</summary>
    [Fact]
    public async Task Stop_OfAPackRunningNowhere_GivesBackTheSlotItsActivationReserved()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.Zero));
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);

        var progress = await cluster.Client.GetGrain<ITrainingCellGrain>(TrainingCellKeys.For("nowhere", "0123abcd")).StopAsync();

        Assert.Equal(PackRunState.Idle, progress.State);
        for (var deadline = DateTime.UtcNow.AddSeconds(10); (await ledger.GetReservationsAsync()).Count > 0; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline, "the stopped activation still holds the slot placement reserved for it");
    }
}
