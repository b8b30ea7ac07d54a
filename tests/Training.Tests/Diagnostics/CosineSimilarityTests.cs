using GradGuessCluster.Training.Diagnostics;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Diagnostics;

public class CosineSimilarityTests
{
    private static readonly MlpShape Shape = TinyNets.TwoByTwo;   // per layer: W [2,2], b [2]

    public CosineSimilarityTests() => TinyNets.Init();

    [Fact]
    public void Overall_IsTheCosineOfAllParametersAsOneVector_NotTheMeanOfLayers()
    {
        using var scope = NewDisposeScope();
        using var u = LayeredTensor.Zeros(Shape, 1, CPU);
        using var g = LayeredTensor.Zeros(Shape, 1, CPU);
        u.W(0)[0][0][0] = tensor(1f); g.W(0)[0][0][0] = tensor(1f);                 // layer 0: parallel
        u.B(1)[0][0] = tensor(1f); g.B(1)[0][1] = tensor(3f);                       // layer 1: orthogonal, g 3× longer
        var (perLayer, overall) = CosineSimilarity.Compute(u, g);
        Assert.Equal(1.0, perLayer[0][0].item<float>(), 5);
        Assert.Equal(0.0, perLayer[0][1].item<float>(), 5);
        Assert.Equal(1 / Math.Sqrt(2 * 10), overall[0].item<float>(), 5);          // ⟨u,g⟩ = 1, ‖u‖ = √2, ‖g‖ = √10
    }

    [Fact]
    public void TinyGradients_StillGiveCosinesInMinusOneToOne()
    {
        // ‖u‖²·‖g‖² ≈ 4e-47 underflows float32; ‖u‖·‖g‖ ≈ 6e-24 does not.
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        using var u = new LayeredTensor(Shape, full(1, Shape.ParameterCount, held[1e-12], ScalarType.Float32));
        using var g = new LayeredTensor(Shape, full(1, Shape.ParameterCount, held[1e-12], ScalarType.Float32));
        var (perLayer, overall) = CosineSimilarity.Compute(u, g);
        Assert.Equal(1.0, overall[0].item<float>(), 4);
        Assert.All(perLayer[0].data<float>().ToArray(), c => Assert.Equal(1.0, c, 4));
    }
}
