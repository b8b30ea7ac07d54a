using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A submit of a name whose delete is telling the registry, its last step, reaches the same activation (the
/// coordinator is reentrant) and creates the sweep anew. It was told "submitted" and then trained nothing until some
/// client looked at it again: the delete had suspended admission for good, and deactivated the grain with the new
/// sweep's watchdog.</summary>
public sealed class SubmitDuringDeleteTests
{
    [Fact]
    public async Task ASweepSubmittedWhileItsDeleteTellsTheRegistry_Trains()
    {
        var held = new HeldRegistrySync("again");
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer,
            services: s => s.AddSingleton<IOutgoingGrainCallFilter>(held));
        var spec = TestSpecs.Small("again", [0.1, 0.01], epochs: 3);
        var sweep = cluster.Sweep("again");
        await sweep.SubmitAsync(spec);
        Assert.Equal(SweepState.Completed, (await cluster.WaitForFinishAsync("again", TimeSpan.FromSeconds(30))).State);
        // The completion's own registry sync is done, so the one held below is the delete's.
        await cluster.WaitForRegistryCompletedAsync("again", TimeSpan.FromSeconds(30));

        held.Arm();
        Task<SweepDeletion> delete;
        for (var until = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100))
        {
            Assert.True(DateTime.UtcNow < until, "the delete never got past its packs' stop");
            delete = sweep.DeleteAsync(false);
            if (await Task.WhenAny(delete, held.Reached.Task) == held.Reached.Task) break;   // the ledger is cleared, the registry being told
            Assert.Equal(SweepDeletionOutcome.Stopping, (await delete).Outcome);
        }
        Assert.Null(await sweep.GetStatusAsync());   // held at the delete's last step: the sweep is gone

        int opened = trainer.Opened;
        await sweep.SubmitAsync(spec);   // created anew on the activation whose delete is finishing
        held.Release.SetResult();
        Assert.Equal(SweepDeletionOutcome.Deleted, (await delete).Outcome);
        // Its packs start without another call to the sweep (one would activate it again, and that one would admit them).
        for (var until = DateTime.UtcNow.AddSeconds(20); trainer.Opened < opened + 2; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < until, "the sweep submitted during the delete started no pack");
        var status = await cluster.WaitForAsync("again", s => s.State == SweepState.Completed, TimeSpan.FromSeconds(30),
            "the sweep submitted during the delete never finished");
        Assert.All(status.Cells, c => Assert.Equal(spec.Epochs, c.Epoch));
    }

    /// <summary>Once armed, holds the answer to the first sync of <paramref name="sweep"/> a coordinator asks of the
    /// registry until released; the registry itself stays free to answer the submit.</summary>
    private sealed class HeldRegistrySync(string sweep) : IOutgoingGrainCallFilter
    {
        private int _armed;
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Arm() => Interlocked.Exchange(ref _armed, 1);

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            // Read before the call: its arguments are released once it is sent.
            var held = context.InterfaceMethod?.Name == nameof(ISweepRegistryGrain.SyncAsync) && context.Request.GetArgument(0) as string == sweep
                && Interlocked.CompareExchange(ref _armed, 0, 1) == 1;
            await context.Invoke();
            if (held)
            {
                Reached.SetResult();
                await Release.Task;
            }
        }
    }
}
