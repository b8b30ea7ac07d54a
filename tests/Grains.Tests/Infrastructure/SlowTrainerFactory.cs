using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>The real trainer with a pause after each epoch, so a test can kill a silo mid-sweep; numbers are untouched.</summary>
public sealed class SlowTrainerFactory(IPackTrainerFactory inner, TimeSpan delay) : IPackTrainerFactory
{
    public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device) => new Slow(inner.Open(spec, checkpointPath, device), delay);

    private sealed class Slow(IPackTrainer inner, TimeSpan delay) : DelegatingPackTrainer(inner)
    {
        public override IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken, bool rollBack = true)
        {
            var metrics = base.RunEpoch(cancellationToken, rollBack);
            Thread.Sleep(delay);
            return metrics;
        }
    }
}
