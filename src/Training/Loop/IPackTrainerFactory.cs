namespace GradGuessCluster.Training.Loop;

/// <summary>Opens a pack for training: resumes from <paramref name="checkpointPath"/>, or starts fresh where it is null.
/// A path given is read, there or not: the caller tells "no checkpoint" from "one that cannot be read", which a second
/// look here (File.Exists reads EIO and EACCES as missing) would blur into a fresh start. <paramref name="device"/> is
/// "cpu" or "cuda:N".</summary>
public interface IPackTrainerFactory
{
    IPackTrainer Open(PackSpec spec, string? checkpointPath, string device);
}
