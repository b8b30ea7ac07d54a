using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>The real trainer with a pause after each epoch, so a test can kill a silo mid-sweep; numbers are untouched.</summary>
public sealed class SlowTrainerFactory(IPackTrainerFactory inner, TimeSpan delay) : IPackTrainerFactory
{
    public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device) => new Slow(inner.Open(spec, checkpointPath, device), delay);

    private sealed class Slow(IPackTrainer inner, TimeSpan delay) : IPackTrainer
    {
        public PackSpec Spec => inner.Spec;
        public int EpochsCompleted => inner.EpochsCompleted;
        public bool IsFinished => inner.IsFinished;
        public void SaveCheckpoint(string path) => inner.SaveCheckpoint(path);
        public void Dispose() => inner.Dispose();

        public IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken)
        {
            var metrics = inner.RunEpoch(cancellationToken);
            Thread.Sleep(delay);
            return metrics;
        }
    }
}
