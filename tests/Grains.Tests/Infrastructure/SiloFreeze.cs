using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>
/// Makes an in-process kill behave like a crashed process for the packs of one silo. <c>KillSiloAsync</c> still runs the
/// dying silo's deactivations and leaves its pack loops running: a pack there may report to its coordinator (which
/// re-activates it elsewhere) or end as failed after the kill, which a crashed process never does. Once a silo is frozen,
/// its packs never finish another epoch (the thread stays parked until the test process exits), so they do nothing more.
/// </summary>
public sealed class SiloFreeze
{
    private static readonly ManualResetEventSlim Never = new(false);
    private volatile string? _frozen;

    public void Freeze(string silo) => _frozen = silo;

    public IPackTrainerFactory For(string silo, IPackTrainerFactory inner) => new Factory(this, silo, inner);

    private sealed class Factory(SiloFreeze freeze, string silo, IPackTrainerFactory inner) : IPackTrainerFactory
    {
        public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device) =>
            new Frozen(freeze, silo, inner.Open(spec, checkpointPath, device));
    }

    private sealed class Frozen(SiloFreeze freeze, string silo, IPackTrainer inner) : DelegatingPackTrainer(inner)
    {
        public override IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken)
        {
            if (freeze._frozen == silo) Never.Wait(CancellationToken.None);
            return base.RunEpoch(cancellationToken);
        }
    }
}
