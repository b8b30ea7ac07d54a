using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Orleans.TestingHost;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A silo dies with a sweep's coordinator and its only running pack: nothing is left to call the coordinator,
/// yet the sweep must carry on without any client action.</summary>
public sealed class CoordinatorLossTests
{
    [Fact]
    public async Task Sweep_WhenTheCoordinatorDiesWithItsOnlyRunningPack_ResumesOnASurvivorByItself()
    {
        var log = new TrainingLog();
        var freeze = new EpochGate();
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(50));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining, new SiloSpec(1), new SiloSpec(1)],
            s => freeze.For(s, log.For(s, trainer)));
        var spec = TestSpecs.Small("lonely", [0.1], epochs: 40);
        var sweep = cluster.Sweep("lonely");
        // A crash to come: once it has trained 3 epochs the pack neither reports nor checkpoints again, wherever it runs
        // (frozen before it starts: the move below may take longer than the pack's remaining epochs, and a pack that
        // finished first would leave nothing to resume).
        freeze.FreezeAfter(EpochGate.AnySilo, 3);
        await sweep.SubmitAsync(spec);
        await cluster.WaitForAsync("lonely", s => s.Cells.Single().Epoch >= 3, TimeSpan.FromSeconds(30), "did not get going");

        // Put the coordinator next to the pack. MigrateAsync waits for a deactivation that never comes when the
        // grain is already on the target (MigrateOnIdle then does nothing), so only move it when it is elsewhere.
        var victim = cluster.Cluster.Silos.Single(s => s.Name == log.Opened.Single().Silo);
        freeze.FreezeAfter(victim.Name, 3);                     // the survivor will train the resumed pack
        if (!IsOn(cluster.Cluster, sweep, victim))
        {
            // The move itself is what counts: the call may also wait for that deactivation (a CI run timed out at 10 s
            // under load), so a slow answer is judged by where the grain is, below.
            try { await cluster.Cluster.MigrateAsync(sweep, victim.SiloAddress).WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (TimeoutException) { }
        }
        for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until && !IsOn(cluster.Cluster, sweep, victim);) await Task.Delay(100);
        Assert.True(IsOn(cluster.Cluster, sweep, victim), "the coordinator did not move to the training silo");

        await cluster.Cluster.KillSiloAsync(victim);

        // No call to the coordinator until the registry (which never calls it) says the sweep completed.
        var registry = cluster.Client.GetGrain<ISweepRegistryGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await CompletedAsync(registry, "lonely"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not resume by itself");
            await Task.Delay(100);
        }

        var curve = (await sweep.GetCurvesAsync(null)).Single();
        Curves.AssertUninterrupted(curve, spec, trainer);
        Assert.True(log.Opened.Count >= 2, "the pack was not resumed");
        Assert.All(log.Opened.Skip(1), o => Assert.NotEqual(victim.Name, o.Silo));
    }

    /// <summary>Asks the registry whether the sweep completed. A call the client happened to route through the killed
    /// silo's gateway is lost (the client waits its whole response timeout), so a slow answer means ask again.</summary>
    private static async Task<bool> CompletedAsync(ISweepRegistryGrain registry, string sweep)
    {
        try
        {
            var sweeps = await registry.ListAsync().WaitAsync(TimeSpan.FromSeconds(5));
            return sweeps.Any(s => s.Name == sweep && s.State == SweepState.Completed);
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
        {
            return false;
        }
    }

    private static bool IsOn(InProcessTestCluster cluster, IAddressable grain, InProcessSiloHandle silo) =>
        cluster.TryGetGrainContext(grain.GetGrainId(), out var context) && silo.SiloAddress.Equals(context.Address.SiloAddress);
}
