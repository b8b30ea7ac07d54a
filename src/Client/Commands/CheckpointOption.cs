using GradGuessCluster.Client.Export;
using GradGuessCluster.Training.Checkpoints;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>train --checkpoint FILE</c>: checked as an output file is (its directory exists and takes a new file),
/// and held, for as long as the command runs, against a second train on the same file.</summary>
internal static class CheckpointOption
{
    public static CheckpointLock Claim(string path)
    {
        OutFile.Check("--checkpoint", path);
        return CheckpointLock.TryAcquire(path)
               ?? throw new UsageException($"--checkpoint {path}: another gradguess train is using it; wait for that one to end, or give another file");
    }
}
