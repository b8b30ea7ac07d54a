using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>
/// Holds packs at the start of an epoch, in two ways.
/// <para><see cref="Freeze"/> makes an in-process kill behave like a crashed process for the packs of one silo.
/// <c>KillSiloAsync</c> still runs the dying silo's deactivations and leaves its pack loops running: a pack there may
/// report to its coordinator (which re-activates it elsewhere) or end as failed after the kill, which a crashed process
/// never does. Once a silo is frozen its packs never finish another epoch (the thread stays parked, deaf to
/// cancellation, until the test process exits), so they do nothing more.</para>
/// <para><see cref="Pause"/> holds every pack, on every silo, until <see cref="Resume"/>; a paused pack can still be
/// cancelled, so a test can quiet the cluster while it changes something under it.</para>
/// <para><see cref="HoldAfter"/> holds one silo's packs once they have trained some epochs, until <see cref="Release"/>:
/// a cancel then lands mid-pack for certain (the pack hears it at its next report), where cancelling after seeing the
/// epochs would race a fast pack to its end.</para>
/// </summary>
public sealed class EpochGate
{
    private static readonly ManualResetEventSlim Never = new(false);
    private readonly ManualResetEventSlim _open = new(true);
    private volatile string? _frozen;
    private volatile string? _frozenAfter;
    private int _frozenAfterEpochs;
    private readonly ManualResetEventSlim _released = new(false);
    private volatile string? _heldAfter;
    private int _heldAfterEpochs;

    public void Freeze(string silo) => _frozen = silo;

    /// <summary>Freezes <paramref name="silo"/>'s packs once they have trained <paramref name="epochs"/> epochs: a test can
    /// then kill it mid-pack for certain, where freezing after seeing the epochs would race the pack to its end.</summary>
    public void FreezeAfter(string silo, int epochs) => (_frozenAfter, _frozenAfterEpochs) = (silo, epochs);

    public void HoldAfter(string silo, int epochs) => (_heldAfter, _heldAfterEpochs) = (silo, epochs);

    public void Release() => _released.Set();

    public void Pause() => _open.Reset();

    public void Resume() => _open.Set();

    public IPackTrainerFactory For(string silo, IPackTrainerFactory inner) => new Factory(this, silo, inner);

    private sealed class Factory(EpochGate gate, string silo, IPackTrainerFactory inner) : IPackTrainerFactory
    {
        public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device) =>
            new Gated(gate, silo, inner.Open(spec, checkpointPath, device));
    }

    private sealed class Gated(EpochGate gate, string silo, IPackTrainer inner) : DelegatingPackTrainer(inner)
    {
        public override IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken)
        {
            if (gate._frozen == silo || (gate._frozenAfter == silo && EpochsCompleted >= gate._frozenAfterEpochs))
                Never.Wait(CancellationToken.None);
            if (gate._heldAfter == silo && EpochsCompleted >= gate._heldAfterEpochs)
                gate._released.Wait(cancellationToken);
            gate._open.Wait(cancellationToken);
            return base.RunEpoch(cancellationToken);
        }
    }
}
