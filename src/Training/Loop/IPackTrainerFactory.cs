namespace GradGuessCluster.Training.Loop;

/// <summary>Opens a pack for training: resumes from <paramref name="checkpointPath"/> when that file exists,
/// else starts fresh. <paramref name="device"/> is "cpu" or "cuda:N".</summary>
public interface IPackTrainerFactory
{
    IPackTrainer Open(PackSpec spec, string? checkpointPath, string device);
}
