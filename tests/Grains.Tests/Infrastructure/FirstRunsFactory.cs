using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>A trainer factory that counts the runs it opens and lets a test wrap each trainer, told whether the run is one
/// of the first <paramref name="runs"/> (those meet the failure under test, the later ones do not).</summary>
public sealed class FirstRunsFactory(int runs, IPackTrainerFactory inner, Func<bool, IPackTrainer, IPackTrainer> wrap) : IPackTrainerFactory
{
    private int _opened;

    public int Opened => Volatile.Read(ref _opened);

    public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device) =>
        wrap(Interlocked.Increment(ref _opened) <= runs, inner.Open(spec, checkpointPath, device));
}
