using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A coordinator whose ledger write meets a conflict deactivates, so that its next activation reads the ledger
/// again. An activation comes only with a call: a sweep with no pack reporting (its next start in a backoff, or not made
/// yet when the conflict came) was left with no coordinator at all, and waited for a client's read. It is woken again.</summary>
public sealed class LedgerConflictWakeTests
{
    [Fact]
    public async Task ACoordinatorWhoseWriteMeetsAConflict_IsActivatedAgainWithoutAnyCall_AndItsSweepCompletes()
    {
        var hooks = new StorageHooks();
        var gate = new EpochGate();
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer),
            services: hooks.Register);
        // Held between epochs, the pack calls its coordinator for nothing: only the coordinator's own wake can bring it back.
        gate.HoldAfter(EpochGate.AnySilo, 3);
        var spec = TestSpecs.Small("conflicted", [0.1], epochs: 8);
        var sweep = cluster.Sweep("conflicted");
        await sweep.SubmitAsync(spec);
        await gate.WaitHeldAsync("the pack was not held");

        var (conflict, conflicted, readAgain) = (1, 0, 0);
        hooks.BeforeRead = (_, id) =>
        {
            if (IsCoordinator(id) && Volatile.Read(ref conflicted) == 1) Volatile.Write(ref readAgain, 1);
        };
        hooks.BeforeWrite = (_, id) =>
        {
            if (!IsCoordinator(id) || Interlocked.Exchange(ref conflict, 0) == 0) return Task.CompletedTask;
            Volatile.Write(ref conflicted, 1);
            return Task.FromException(new InconsistentStateException("the ledger changed under this write (a test's)"));
        };
        // A priority change is stored at once: its write meets the conflict, and the call says so.
        await Assert.ThrowsAnyAsync<Exception>(() => sweep.SetPriorityAsync(2));
        Assert.Equal(1, Volatile.Read(ref conflicted));

        // No call from here on reaches the coordinator (the registry is another grain) until it has been read again.
        for (var until = DateTime.UtcNow.AddSeconds(15); Volatile.Read(ref readAgain) == 0; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < until, "the coordinator was not activated again after its conflict");
        Assert.Equal(1, gate.Held);   // and not by its pack

        gate.Release();
        await cluster.WaitForRegistryCompletedAsync("conflicted", TimeSpan.FromSeconds(30));
        var done = (await sweep.GetStatusAsync())!;
        Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), spec, trainer);
    }

    private static bool IsCoordinator(Orleans.Runtime.GrainId id) => id.Type.ToString() == SweepCoordinatorGrain.GrainTypeName;
}
