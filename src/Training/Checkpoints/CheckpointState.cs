using static TorchSharp.torch;

namespace GradGuessCluster.Training.Checkpoints;

/// <summary>Everything needed to continue a pack exactly: tensors by name (model, optimizer moments, guess RNG
/// states) plus counters. The data order is a pure function of (data seed, epoch), so the epoch is its position.</summary>
/// <param name="Fingerprint">Hash of the pack configuration that shapes the trajectory; a checkpoint of another pack is refused.</param>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="Step">Training steps completed (drives the cosine-sampling schedule).</param>
/// <param name="OptimizerSteps">The optimizer's t.</param>
/// <param name="Diverged">Per cell: the epoch it diverged in, or 0.</param>
/// <param name="Configuration">The configuration the fingerprint hashes (JSON), to say what differs on a mismatch;
/// null in checkpoints written before it was kept.</param>
/// <param name="DataDigest">The <see cref="Data.DataDigest"/> of the data the pack trained on; null in checkpoints written
/// before it was kept, and for data built in code.</param>
/// <param name="Numerics">The <see cref="Runtime.NumericsPath"/> the pack computed under; null in checkpoints written
/// before it was kept.</param>
public sealed record CheckpointState(
    string Fingerprint,
    int Epoch,
    long Step,
    long OptimizerSteps,
    int[] Diverged,
    IReadOnlyDictionary<string, Tensor> Tensors,
    string? Configuration = null,
    string? DataDigest = null,
    string? Numerics = null)
{
    /// <summary>The tensor a pack's checkpoint keeps its weights and biases in: [P, N] float32, a cell a row.</summary>
    public const string ModelTensor = "model";
}
