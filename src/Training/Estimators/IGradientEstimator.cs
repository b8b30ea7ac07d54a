using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// Produces the vector handed to the optimizer as if it were the gradient: the true gradient (backprop), or
/// directional derivative × guess (the guessing methods of SPEC §3).
/// </summary>
public interface IGradientEstimator
{
    EstimatorKind Kind { get; }

    /// <param name="fwd">The forward pass on this batch.</param>
    /// <param name="logitGradient">∂L/∂z [P, B, C] of each cell's mean loss on the batch.</param>
    /// <param name="into">Receives the update for every cell (overwritten).</param>
    void Estimate(MlpPack model, ForwardCache fwd, Tensor logitGradient, GuessStreams guesses, LayeredTensor into);

    /// <summary>Matmul FLOPs per example of one step of one cell, forward pass included (for the bench's GFLOP/s).</summary>
    double FlopsPerExample(MlpShape shape, long batchSize);

    /// <summary>The part of <see cref="FlopsPerExample"/> that cells of a pack sharing a seed (hence their guesses)
    /// compute once between them.</summary>
    double SharedFlopsPerExample(MlpShape shape) => 0;
}
