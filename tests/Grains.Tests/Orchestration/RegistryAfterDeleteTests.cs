using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A delete whose last step, telling the registry, fails (its store down for a moment) has removed every file:
/// the sweep is gone, and the list still shows it. A second delete finds nothing to delete and tells the registry
/// again, so the list heals; before, nothing ever did (short of submitting that name again). A wake heals it too.</summary>
public sealed class RegistryAfterDeleteTests
{
    [Fact]
    public async Task ADeleteWhoseRegistryUpdateFailed_IsTakenOffTheListByTheNextDelete()
    {
        await using var cluster = await StartAsync();
        var (sweep, registry) = await DeleteWithTheRegistryDownAsync(cluster);

        Assert.Equal(SweepDeletionOutcome.NotFound, (await sweep.DeleteAsync(false)).Outcome);
        Assert.DoesNotContain(await registry.ListAsync(), s => s.Name == "listed");
    }

    /// <summary>A wake (a silo starting, the slot ledger, an activation gone after a ledger conflict that left its
    /// registry update to the next) finds no sweep: it tells the registry too.</summary>
    [Fact]
    public async Task ADeleteWhoseRegistryUpdateFailed_IsTakenOffTheListByAWake()
    {
        await using var cluster = await StartAsync();
        var (sweep, registry) = await DeleteWithTheRegistryDownAsync(cluster);

        await sweep.WakeAsync();
        Assert.DoesNotContain(await registry.ListAsync(), s => s.Name == "listed");
    }

    private static Task<SweepCluster> StartAsync() =>
        SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(2)));

    /// <summary>Completes a sweep, then deletes it while the registry's store fails: gone, and still listed.</summary>
    private static async Task<(ISweepCoordinatorGrain Sweep, ISweepRegistryGrain Registry)> DeleteWithTheRegistryDownAsync(SweepCluster cluster)
    {
        var sweep = cluster.Sweep("listed");
        await sweep.SubmitAsync(TestSpecs.Small("listed", [0.1], epochs: 2));
        Assert.Equal(SweepState.Completed, (await cluster.WaitForFinishAsync("listed", TimeSpan.FromSeconds(30))).State);
        var registry = cluster.Client.GetGrain<ISweepRegistryGrain>(0);

        // The registry's store fails: a file where its directory belongs.
        var registryStates = Path.Combine(cluster.StateDirectory, "gg-registry");
        Directory.Move(registryStates, registryStates + ".aside");
        await File.WriteAllTextAsync(registryStates, "not a directory");
        // Refused as "stopping" while its pack was heard of lately; then it deletes, and fails at its last step.
        Exception? failed = null;
        for (var until = DateTime.UtcNow.AddSeconds(30); failed is null; await Task.Delay(100))
        {
            Assert.True(DateTime.UtcNow < until, "the delete never got past its pack's stop");
            try { Assert.Equal(SweepDeletionOutcome.Stopping, (await sweep.DeleteAsync(false)).Outcome); }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException) { failed = e; }
        }
        File.Delete(registryStates);
        Directory.Move(registryStates + ".aside", registryStates);
        Assert.Contains(await registry.ListAsync(), s => s.Name == "listed");   // gone, and still listed
        return (sweep, registry);
    }
}
