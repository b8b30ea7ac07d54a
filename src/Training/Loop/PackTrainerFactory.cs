namespace GradGuessCluster.Training.Loop;

/// <summary>The TorchSharp-backed <see cref="IPackTrainerFactory"/>.</summary>
public sealed class PackTrainerFactory : IPackTrainerFactory
{
    public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device) =>
        throw new NotImplementedException("training core not yet implemented");
}
