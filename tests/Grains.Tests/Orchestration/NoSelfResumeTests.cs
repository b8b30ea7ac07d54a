using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A silo that resumes no sweep by itself (<c>gradguess local</c>'s) trains an interrupted sweep only once it is
/// submitted again: reading it (local's preflight does, before its submit) restarted its packs, even where the submit
/// then refused a changed spec. Once told to run, a coordinator activated anew mid-run still re-pokes its packs.</summary>
public sealed class NoSelfResumeTests
{
    [Fact]
    public async Task AnInterruptedSweepThatIsOnlyRead_TrainsNothing_UntilItsSpecIsSubmittedAgain()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(40));
        var spec = TestSpecs.Small("held", [0.1, 0.01], epochs: 12);
        var directory = Path.Combine(Path.GetTempPath(), "gg-held-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var freeze = new EpochGate();
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => freeze.For(s, trainer), directory))
            {
                var silo = first.Cluster.Silos.Single();
                freeze.FreezeAfter(silo.Name, 3);   // interrupted mid-curve, as a killed local run
                await first.Sweep("held").SubmitAsync(spec);
                await first.WaitForAsync("held", s => s.Cells.All(c => c.Epoch >= 3), TimeSpan.FromSeconds(30), "did not get going");
                await first.Cluster.KillSiloAsync(silo);
            }
            var opened = trainer.Opened;

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer, directory, configure: o => o.ResumeSweeps = false);
            var read = await second.Sweep("held").GetStatusAsync();
            Assert.Equal(SweepState.Running, read!.State);
            await Assert.ThrowsAsync<SpecValidationException>(() => second.Sweep("held").SubmitAsync(spec with { Epochs = 20 }));
            await Task.Delay(TimeSpan.FromSeconds(1.5));   // several watchdog intervals (0.5 s in these tests)
            Assert.Equal(opened, trainer.Opened);

            await second.Sweep("held").SubmitAsync(spec);
            var done = await second.WaitForFinishAsync("held", TimeSpan.FromSeconds(60));
            Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
            Curves.AssertUninterrupted(await second.Sweep("held").GetCurvesAsync(null), spec, trainer);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ACoordinatorActivatedAnewMidRun_StillRepokesThePackWhoseEndItsLostWriteHeld()
    {
        // Two packs, one slot: the first pack's end is folded into ledger writes that meet a conflict, so the coordinator
        // deactivates and reloads a ledger with that pack's cells still running. Only its watchdog's re-poke learns that
        // the pack finished: without it, the sweep never completes.
        var hooks = new StorageHooks();
        var ended = new FirstPackEnd();
        // 6 epochs of 100 ms: the first pack's cells are stored as running (a write coalesced 250 ms after its start)
        // before it ends; stored as queued, they would be admitted again without the watchdog.
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(100));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, configure: o => o.ResumeSweeps = false,
            services: s => { hooks.Register(s); s.AddSingleton<IIncomingGrainCallFilter>(ended); });
        // From the first end report until the coordinator reads its ledger again, every ledger write meets a conflict
        // (another writer's, as far as it can tell): none lands, and the activation goes at the first.
        var (conflicting, conflicts) = (0, 0);
        hooks.BeforeRead = (_, id) =>
        {
            if (id.Type.ToString() == SweepCoordinatorGrain.GrainTypeName && conflicts > 0) Volatile.Write(ref conflicting, 2);   // reactivated
        };
        hooks.BeforeWrite = (_, id) =>
        {
            if (id.Type.ToString() != SweepCoordinatorGrain.GrainTypeName || !ended.Seen || Volatile.Read(ref conflicting) == 2)
                return Task.CompletedTask;
            Interlocked.Increment(ref conflicts);
            return Task.FromException(new InconsistentStateException("the ledger changed under this write (a test's)"));
        };
        var spec = TestSpecs.Small("reloaded", [0.1, 0.01], epochs: 6);
        await cluster.Sweep("reloaded").SubmitAsync(spec);

        for (var until = DateTime.UtcNow.AddSeconds(30); Volatile.Read(ref conflicting) != 2; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < until, $"the coordinator was not activated again ({conflicts} conflicts)");
        var done = await cluster.WaitForFinishAsync("reloaded", TimeSpan.FromSeconds(60));

        Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
    }

    /// <summary>Notes that a pack's end report reached the coordinator.</summary>
    private sealed class FirstPackEnd : IIncomingGrainCallFilter
    {
        private volatile bool _seen;
        public bool Seen => _seen;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(ISweepCoordinatorGrain.PackEndedAsync)) _seen = true;
            return context.Invoke();
        }
    }
}
