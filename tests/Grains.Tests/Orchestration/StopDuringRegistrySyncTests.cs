using System.Diagnostics;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>The watchdog's tick has the registry read the sweep's summary, a call back to the coordinator. A silo that
/// stops meanwhile deactivates the coordinator, and a deactivating activation takes no call: the deactivation waited on
/// the tick, the tick on the registry, the registry on that call, until the response timeout (30 s by default: all of
/// `local`'s stop budget).</summary>
public sealed class StopDuringRegistrySyncTests
{
    private readonly StorageHooks _hooks = new();

    [Fact]
    public async Task ASiloStoppingWhileItsSweepsRegistrySyncWaits_StopsWithoutSittingOutTheResponseTimeout()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining, SiloSpec.NoTraining], _ => new NoOpPackTrainerFactory(),
            services: _hooks.Register);
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        await cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync();
        var registrySilo = await SiloOfAsync(management, SweepRegistryGrain.GrainTypeName, "0");

        // A sweep whose coordinator lives on the other silo. Orleans' default placement weighs the silos' load and
        // prefers the local one, so 20 submits once all landed beside the registry: the placement hint asks for the
        // other silo (submitting until one lands there stays as the fallback). No silo trains, so the sweep stays
        // queued with its watchdog ticking.
        var apart = cluster.Cluster.Silos.Select(s => s.SiloAddress).First(s => !s.Equals(registrySilo));
        string? name = null;
        SiloAddress? coordinatorSilo = null;
        RequestContext.Set(IPlacementDirector.PlacementHintKey, apart);
        try
        {
            for (var i = 0; i < 20 && coordinatorSilo is null; i++)
            {
                var candidate = $"apart-{i}";
                await cluster.Sweep(candidate).SubmitAsync(TestSpecs.Small(candidate, [0.1], epochs: 2));
                var silo = await SiloOfAsync(management, SweepCoordinatorGrain.GrainTypeName, candidate);
                if (!silo.Equals(registrySilo)) (name, coordinatorSilo) = (candidate, silo);
            }
        }
        finally { RequestContext.Remove(IPlacementDirector.PlacementHintKey); }
        Assert.NotNull(coordinatorSilo);

        // The registry is kept busy writing another sweep's entry, so the tick's sync waits in its queue.
        var registry = _hooks.HoldWrites(SweepRegistryGrain.GrainTypeName);
        var other = cluster.Sweep("other").SubmitAsync(TestSpecs.Small("other", [0.1], epochs: 2));
        await registry.Writing.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1.5));   // three ticks of 0.5 s: the tick's sync is queued behind it

        var stopping = Stopwatch.StartNew();
        var stop = cluster.Cluster.StopSiloAsync(cluster.Cluster.Silos.Single(s => s.SiloAddress.Equals(coordinatorSilo)));
        await Task.Delay(TimeSpan.FromSeconds(0.5));   // the coordinator is deactivating, its tick still waiting
        registry.Release();
        await stop.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(6), $"the silo took {stopping.Elapsed.TotalSeconds:F1} s to stop");
        await other.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });   // its coordinator may have been on that silo
    }

    private static async Task<SiloAddress> SiloOfAsync(IManagementGrain management, string type, string key)
    {
        var stats = await management.GetDetailedGrainStatistics();
        return stats.Single(s => s.GrainId.Type.ToString() == type && s.GrainId.Key.ToString() == key).SiloAddress;
    }
}
