using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>A trainer that forwards everything to another; the test wrappers override the one step they change.</summary>
public abstract class DelegatingPackTrainer(IPackTrainer inner) : IPackTrainer
{
    public PackSpec Spec => inner.Spec;
    public int EpochsCompleted => inner.EpochsCompleted;
    public bool IsFinished => inner.IsFinished;
    public virtual string? DataDigest => inner.DataDigest;
    public virtual NumericsChange? NumericsChange => inner.NumericsChange;
    public virtual IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken, bool rollBack = true) => inner.RunEpoch(cancellationToken, rollBack);
    public virtual void SaveCheckpoint(string path) => inner.SaveCheckpoint(path);
    public virtual void Dispose() => inner.Dispose();
}
