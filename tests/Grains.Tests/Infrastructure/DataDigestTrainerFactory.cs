using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>Another factory's trainers as they would open on a silo whose data files hash to <paramref name="digest"/>
/// (asked at every open, so a test can put a silo's files right between runs). In-process silos share one file system;
/// real files with different content are what DataDigestTests and the local and end-to-end tests use.</summary>
public sealed class DataDigestTrainerFactory(IPackTrainerFactory inner, Func<string> digest) : IPackTrainerFactory
{
    public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device) =>
        new WithDigest(inner.Open(spec, checkpointPath, device), digest());

    private sealed class WithDigest(IPackTrainer inner, string digest) : DelegatingPackTrainer(inner)
    {
        public override string? DataDigest => digest;
    }
}
