using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A coordinator whose ledger write meets a conflict deactivates, so that its next activation reads the ledger
/// again. An activation comes only with a call: a sweep with no pack reporting (its next start in a backoff, or not made
/// yet when the conflict came) was left with no coordinator at all, and waited for a client's read. It is woken again.</summary>
public sealed class LedgerConflictWakeTests
{
    private const string Name = "conflicted";
    private readonly StorageHooks _hooks = new();
    private readonly EpochGate _gate = new();
    private readonly NoOpPackTrainerFactory _trainer = new(TimeSpan.FromMilliseconds(20));
    private int _conflict = 1, _conflicted, _readAgain;

    [Fact]
    public async Task ACoordinatorWhoseWriteMeetsAConflict_IsActivatedAgainWithoutAnyCall_AndItsSweepCompletes()
    {
        await using var cluster = await StartHeldAsync();
        var spec = TestSpecs.Small(Name, [0.1], epochs: 8);
        await cluster.Sweep(Name).SubmitAsync(spec);
        await WaitQuietAsync(cluster);

        ArmConflict();
        await MeetConflictAsync(cluster);
        await WaitReadAgainAsync(TimeSpan.FromSeconds(15));

        await FinishAsync(cluster, spec);
    }

    /// <summary>The watchdog's tick has the registry read the sweep's summary, a call back to the coordinator: a conflict
    /// met meanwhile deactivated it at once, and a deactivating activation takes no call, so the sync and the deactivation
    /// waiting on it sat out a whole response timeout (10 s here), the wake sent meanwhile with them (a CI run lost it).</summary>
    [Fact]
    public async Task AConflictMetWhileTheRegistryAsksForTheSweepsSummary_StillWakesTheNextActivationAtOnce()
    {
        await using var cluster = await StartHeldAsync();
        var spec = TestSpecs.Small(Name, [0.1], epochs: 8);
        await cluster.Sweep(Name).SubmitAsync(spec);
        await WaitQuietAsync(cluster);

        // The registry is kept busy writing another sweep's entry, so the tick's sync waits in its queue.
        var registryHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registryWriting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ArmConflict(registry: id =>
        {
            registryWriting.TrySetResult();
            return registryHeld.Task;
        });
        var other = cluster.Sweep("other").SubmitAsync(TestSpecs.Small("other", [0.1], epochs: 2));
        await registryWriting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1.5));   // three ticks of 0.5 s: the tick's sync is queued behind it

        await MeetConflictAsync(cluster);
        registryHeld.SetResult();
        await WaitReadAgainAsync(TimeSpan.FromSeconds(6));

        await other;
        await FinishAsync(cluster, spec);
    }

    /// <summary>The conflict comes while the watchdog's tick is past its "going?" check but short of its registry sync: here
    /// held in its admission round, asking the slot ledger for the queued pack's slot. Let on, the tick went on to sync the
    /// registry, whose call back for the summary a deactivating activation does not take, and the deactivation waited for
    /// the tick: the wake came a response timeout late (10 s here). A going activation leaves the sync to the next one.</summary>
    [Fact]
    public async Task AConflictMetWhileTheTickAsksForSlots_LeavesTheRegistrySyncToTheNextActivation_WhichIsWokenAtOnce()
    {
        var asking = false;
        var ask = new HeldCall(c => Volatile.Read(ref asking) && c.InterfaceMethod?.Name == nameof(IGpuLedgerGrain.GetShareAsync));
        await using var cluster = await StartHeldAsync(ask);
        var spec = TestSpecs.Small(Name, [0.1, 0.01], epochs: 8);   // one slot: the second cell's pack stays queued
        await cluster.Sweep(Name).SubmitAsync(spec);
        await WaitQuietAsync(cluster);

        Volatile.Write(ref asking, true);
        await ask.Reached.Task.WaitAsync(TimeSpan.FromSeconds(10));   // a tick's admission round waits for its answer
        ArmConflict();
        await MeetConflictAsync(cluster);
        ask.Release.SetResult();
        await WaitReadAgainAsync(TimeSpan.FromSeconds(6));

        await FinishAsync(cluster, spec);
    }

    /// <summary>The conflict comes while the tick's admission round asks for a slot, and a slot comes free before the
    /// ask is answered (another sweep's pack ended). The going activation's ledger is stale (another activation may have
    /// resumed the sweep with a new incarnation): it must not start the pack the answer grants, but withdraw, and leave
    /// the start to the next activation, which reads the ledger first.</summary>
    [Fact]
    public async Task ASlotGrantedToAGoingActivation_IsLeftForTheNextOne_WhichStartsThePack()
    {
        var ask = new HeldSlotAsk(Name, () => Volatile.Read(ref _readAgain) == 1);
        await using var cluster = await StartHeldAsync(outgoing: ask);
        await cluster.Sweep("other").SubmitAsync(TestSpecs.Small("other", [0.1], epochs: 4));
        await _gate.WaitHeldAsync("the other sweep's pack was not held");   // it holds the one slot
        var spec = TestSpecs.Small(Name, [0.1], epochs: 8);
        await cluster.Sweep(Name).SubmitAsync(spec);   // its pack waits for the slot

        ask.Arm();
        await ask.Reached.Task.WaitAsync(TimeSpan.FromSeconds(10));   // a tick's admission round asks, held before it is sent
        ArmConflict();
        await MeetConflictAsync(cluster);
        _gate.Release();
        await cluster.WaitForRegistryCompletedAsync("other", TimeSpan.FromSeconds(30));   // its slot is free
        ask.Release.SetResult();   // the ledger now grants the slot to the going activation's ask

        await cluster.WaitForRegistryCompletedAsync(Name, TimeSpan.FromSeconds(30));
        Assert.Equal(1, Volatile.Read(ref _readAgain));
        Assert.True(ask.StartsBeforeReadAgain == 0, $"the going activation started the pack {ask.StartsBeforeReadAgain} time(s)");
        Assert.True(ask.StartsAfterReadAgain > 0, "the next activation did not start the pack");
        var done = (await cluster.Sweep(Name).GetStatusAsync())!;
        Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Curves.AssertUninterrupted(await cluster.Sweep(Name).GetCurvesAsync(null), spec, _trainer);
    }

    private async Task<SweepCluster> StartHeldAsync(IIncomingGrainCallFilter? filter = null, IOutgoingGrainCallFilter? outgoing = null)
    {
        var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => _gate.For(s, _trainer), services: s =>
        {
            _hooks.Register(s);
            if (filter is not null) s.AddSingleton(filter);
            if (outgoing is not null) s.AddSingleton(outgoing);
        });
        // Held between epochs, the pack calls its coordinator for nothing: only the coordinator's own wake can bring it back.
        _gate.HoldAfter(EpochGate.AnySilo, 3);
        return cluster;
    }

    /// <summary>Waits until the pack is held and its epochs are stored. They reach the stored ledger by a scheduled write:
    /// the conflict is armed once they have, or that write may meet it in place of the priority's (a CI run failed so,
    /// the priority call unrefused). None follows: a write carries the epochs, so the tick has none left to write.</summary>
    private async Task WaitQuietAsync(SweepCluster cluster)
    {
        await _gate.WaitHeldAsync("the pack was not held");
        await cluster.WaitForStoredEpochAsync(Name, 3, TimeSpan.FromSeconds(10));
    }

    /// <summary>The sweep's next ledger write meets a conflict; its next read is noted. <paramref name="registry"/>, if
    /// given, is awaited before each registry write.</summary>
    private void ArmConflict(Func<GrainId, Task>? registry = null)
    {
        _hooks.BeforeRead = (_, id) =>
        {
            if (IsOurs(id) && Volatile.Read(ref _conflicted) == 1) Volatile.Write(ref _readAgain, 1);
        };
        _hooks.BeforeWrite = (_, id) =>
        {
            if (registry is not null && id.Type.ToString() == SweepRegistryGrain.GrainTypeName) return registry(id);
            if (!IsOurs(id) || Interlocked.Exchange(ref _conflict, 0) == 0) return Task.CompletedTask;
            Volatile.Write(ref _conflicted, 1);
            return Task.FromException(new InconsistentStateException("the ledger changed under this write (a test's)"));
        };
    }

    /// <summary>A priority change is stored at once: its write meets the conflict, and the call says so.</summary>
    /// A write of the coordinator's own (its watchdog's) may meet the armed conflict first, and the priority call, which
    /// activated it again, then succeeds (a CI run saw it): the conflict is armed afresh once and the call made again.
    private async Task MeetConflictAsync(SweepCluster cluster)
    {
        for (var priority = 2; ; priority++)
        {
            try
            {
                await cluster.Sweep(Name).SetPriorityAsync(priority);
            }
            catch (Exception)
            {
                break;
            }
            Assert.True(priority < 3, "the priority write did not meet the conflict, armed twice");
            Volatile.Write(ref _readAgain, 0);
            Volatile.Write(ref _conflicted, 0);
            Volatile.Write(ref _conflict, 1);
        }
        Assert.Equal(1, Volatile.Read(ref _conflicted));
    }

    /// <summary>No call from the test reaches the coordinator (the registry is another grain) until it has been read again,
    /// and its pack, held, does not call it either.</summary>
    private async Task WaitReadAgainAsync(TimeSpan within)
    {
        for (var until = DateTime.UtcNow + within; Volatile.Read(ref _readAgain) == 0; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < until, $"the coordinator was not activated again within {within.TotalSeconds} s of its conflict");
        Assert.Equal(1, _gate.Held);
    }

    private async Task FinishAsync(SweepCluster cluster, SweepSpec spec)
    {
        _gate.Release();
        await cluster.WaitForRegistryCompletedAsync(Name, TimeSpan.FromSeconds(30));
        var done = (await cluster.Sweep(Name).GetStatusAsync())!;
        Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Curves.AssertUninterrupted(await cluster.Sweep(Name).GetCurvesAsync(null), spec, _trainer);
    }

    private static bool IsOurs(GrainId id) => id.Type.ToString() == SweepCoordinatorGrain.GrainTypeName && id.Key.ToString() == Name;

    /// <summary>Once armed, holds <paramref name="sweep"/>'s next ask for slots before it is sent, so the slot ledger
    /// answers it as it stands when released (a call held at the ledger's door would block the ledger itself); and counts
    /// the sweep's pack starts, before and after <paramref name="readAgain"/> holds.</summary>
    private sealed class HeldSlotAsk(string sweep, Func<bool> readAgain) : IOutgoingGrainCallFilter
    {
        private int _armed, _before, _after;
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int StartsBeforeReadAgain => Volatile.Read(ref _before);
        public int StartsAfterReadAgain => Volatile.Read(ref _after);

        public void Arm() => Interlocked.Exchange(ref _armed, 1);

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            var method = context.InterfaceMethod?.Name;
            if (method == nameof(IGpuLedgerGrain.GetShareAsync) && context.Request.GetArgument(0) as string == sweep
                && Interlocked.CompareExchange(ref _armed, 0, 1) == 1)
            {
                Reached.SetResult();
                await Release.Task;
            }
            else if (method == nameof(ITrainingCellGrain.StartAsync) && context.SourceId is { } source && IsOurs(source))
                Interlocked.Increment(ref readAgain() ? ref _after : ref _before);
            await context.Invoke();
        }
    }
}
