using System.Collections.Concurrent;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>
/// Holds packs at the start of an epoch, in three ways.
/// <para><see cref="Freeze"/> makes an in-process kill behave like a crashed process for the packs of a silo (of each
/// silo frozen so far).
/// <c>KillSiloAsync</c> still runs the dying silo's deactivations and leaves its pack loops running: a pack there may
/// report to its coordinator (which re-activates it elsewhere) or end as failed after the kill, which a crashed process
/// never does. Once a silo is frozen its packs never finish another epoch (the thread stays parked, deaf to
/// cancellation, until the test process exits), so they do nothing more.</para>
/// <para><see cref="Pause"/> holds every pack, on every silo, until <see cref="Resume"/>; a paused pack can still be
/// cancelled, so a test can quiet the cluster while it changes something under it.</para>
/// <para><see cref="HoldAfter"/> holds one silo's packs (or every silo's: <see cref="AnySilo"/>) once they have trained
/// some epochs, until <see cref="Release"/>: a cancel then lands mid-pack for certain (the pack hears it at its next
/// report), where cancelling after seeing the epochs would race a fast pack to its end. A held pack still stops when its
/// grain stops it (a silo stopping, a lost slot, a cancel). Calling <see cref="HoldAfter"/> again moves the hold: the
/// packs held now go on, up to the new one.</para>
/// <para><see cref="Held"/> counts the packs held now, so a test can wait until they are (<see cref="WaitHeldAsync"/>).</para>
/// </summary>
public sealed class EpochGate
{
    /// <summary>For <see cref="FreezeAfter"/> and <see cref="HoldAfter"/>: the packs of every silo.</summary>
    public const string AnySilo = "*";

    private static readonly ManualResetEventSlim Never = new(false);
    private readonly ManualResetEventSlim _open = new(true);
    private readonly ConcurrentDictionary<string, bool> _frozen = new();
    private volatile Threshold? _frozenAfter;
    private Hold? _hold;   // replaced whole (Interlocked), read with Volatile.Read
    private int _held;

    public void Freeze(string silo) => _frozen[silo] = true;

    /// <summary>Freezes <paramref name="silo"/>'s packs once they have trained <paramref name="epochs"/> epochs: a test can
    /// then kill it mid-pack for certain, where freezing after seeing the epochs would race the pack to its end. Packs
    /// already frozen stay frozen when a later call names another silo.</summary>
    public void FreezeAfter(string silo, int epochs) => _frozenAfter = new Threshold(silo, epochs);

    /// <summary>Holds <paramref name="silo"/>'s packs at the start of each epoch once they have trained
    /// <paramref name="epochs"/>; a hold armed before replaces it (its packs go on, up to this one). A
    /// <paramref name="deaf"/> hold does not hear a cancel or stop either, as a stalled silo would not, until released.</summary>
    public void HoldAfter(string silo, int epochs, bool deaf = false) =>
        Interlocked.Exchange(ref _hold, new Hold(new Threshold(silo, epochs), deaf))?.Released.Set();

    /// <summary>Lets the packs of the current hold go on, and every pack that reaches it from now on.</summary>
    public void Release() => Volatile.Read(ref _hold)?.Released.Set();

    public void Pause() => _open.Reset();

    public void Resume() => _open.Set();

    /// <summary>Packs waiting now in a hold (<see cref="HoldAfter"/>) or a pause (<see cref="Pause"/>): each is between
    /// epochs, with nothing in flight (its reports and checkpoints are done), until released or stopped.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Waits until <paramref name="packs"/> packs are held (fails after 30 s, saying <paramref name="what"/>).</summary>
    public async Task WaitHeldAsync(string what, int packs = 1)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); Held < packs; await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, $"{what}: {Held} of {packs} pack(s) held after 30 s");
    }

    public IPackTrainerFactory For(string silo, IPackTrainerFactory inner) => new Factory(this, silo, inner);

    private sealed record Threshold(string Silo, int Epochs)
    {
        public bool Reached(string silo, int epochs) => (Silo == AnySilo || Silo == silo) && epochs >= Epochs;
    }

    private sealed class Hold(Threshold after, bool deaf)
    {
        public Threshold After { get; } = after;
        public bool Deaf { get; } = deaf;
        public ManualResetEventSlim Released { get; } = new(false);
    }

    /// <summary>Waits for <paramref name="gate"/>, counted in <see cref="Held"/> while it blocks.</summary>
    private void Wait(ManualResetEventSlim gate, CancellationToken cancellationToken)
    {
        if (gate.IsSet) return;
        Interlocked.Increment(ref _held);
        try { gate.Wait(cancellationToken); }
        finally { Interlocked.Decrement(ref _held); }
    }

    private sealed class Factory(EpochGate gate, string silo, IPackTrainerFactory inner) : IPackTrainerFactory
    {
        public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device) =>
            new Gated(gate, silo, inner.Open(spec, checkpointPath, device));
    }

    private sealed class Gated(EpochGate gate, string silo, IPackTrainer inner) : DelegatingPackTrainer(inner)
    {
        public override IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken, bool rollBack = true)
        {
            if (gate._frozen.ContainsKey(silo) || gate._frozenAfter?.Reached(silo, EpochsCompleted) == true)
                Never.Wait(CancellationToken.None);
            if (Volatile.Read(ref gate._hold) is { } hold && hold.After.Reached(silo, EpochsCompleted))
                gate.Wait(hold.Released, hold.Deaf ? CancellationToken.None : cancellationToken);
            gate.Wait(gate._open, cancellationToken);
            return base.RunEpoch(cancellationToken, rollBack);
        }
    }
}
