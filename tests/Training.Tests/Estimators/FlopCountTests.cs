using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Model;

namespace GradGuessCluster.Training.Tests.Estimators;

/// <summary>The matmul FLOPs each activation-space method claims per example (the bench's achieved GFLOP/s), against
/// counts made by hand for one small shape. Layers 10→8, 8→8, 8→4: forward 2·(80 + 64 + 32) = 352; propagating a tangent
/// through layers 1 and 2, 2·(64 + 32) = 192; the weight update's outer products, as the forward, 352.</summary>
public sealed class FlopCountTests
{
    private static readonly MlpShape Shape = new(Inputs: 10, Width: 8, Depth: 2, Classes: 4);
    private const long Batch = 32;

    [Theory]
    // No guess work: N(0, I) draws.
    [InlineData(EstimatorKind.ActivationPerturbation, 1, true, 352 + 192 + 352)]
    // Each hidden layer's guess pulls a cotangent back through the next layer, W_{i+1}ᵀ ε: layers 1 and 2, 192 more.
    [InlineData(EstimatorKind.WTranspose, 1, true, 352 + 192 + 192 + 352)]
    [InlineData(EstimatorKind.Downstream, 1, true, 352 + 192 + 192 + 352)]
    // A [B, B] mix of each hidden layer's activations: 2·B·n_i per example, 2·32·(8 + 8) = 1024.
    [InlineData(EstimatorKind.ActivationMixing, 1, true, 352 + 1024 + 192 + 352)]
    // K guesses: the forward and the outer products once (the guesses are summed, weighted, before them), the tangent K times.
    [InlineData(EstimatorKind.ActivationPerturbation, 2, true, 352 + 2 * 192 + 352)]
    [InlineData(EstimatorKind.WTranspose, 4, false, 352 + 4 * (192 + 192 + 64) + 352)]
    // A tangent pass per layer, each from its own layer on: from layer 0, 2·(64 + 32); from layer 1, 2·32; from layer 2, none.
    [InlineData(EstimatorKind.ActivationPerturbation, 1, false, 352 + 192 + 64 + 352)]
    public void ActivationMethods_CountTheirMatmulsAsByHand(EstimatorKind kind, int guesses, bool onePass, double expected) =>
        Assert.Equal(expected, EstimatorFactory.Create(new EstimatorSettings(kind, guesses, onePass)).FlopsPerExample(Shape, Batch));
}
