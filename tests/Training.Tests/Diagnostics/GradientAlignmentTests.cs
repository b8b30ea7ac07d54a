using GradGuessCluster.Training.Diagnostics;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Diagnostics;

public class GradientAlignmentTests
{
    private static readonly MlpShape Shape = TinyNets.TwoByTwo;   // per layer: W [2,2], b [2]

    public GradientAlignmentTests() => TinyNets.Init();

    [Fact]
    public void ProjectionAndLength_AreInUnitsOfTheGradient_PerCell_OverAllLayers()
    {
        using var scope = NewDisposeScope();
        using var u = LayeredTensor.Zeros(Shape, 2, CPU);
        using var g = LayeredTensor.Zeros(Shape, 2, CPU);
        // Cell 0: g = (2 in layer 0, 0), u = (3 in layer 0, 4 in layer 1): ⟨u,g⟩/‖g‖² = 6/4, ‖u‖²/‖g‖² = 25/4.
        g.W(0)[0][1][0] = tensor(2f); u.W(0)[0][1][0] = tensor(3f); u.B(1)[0][1] = tensor(4f);
        // Cell 1: u = -g/2 spread over both layers: projection -1/2, squared length 1/4.
        g.W(1)[1][0][0] = tensor(2f); g.B(0)[1][1] = tensor(4f);
        u.W(1)[1][0][0] = tensor(-1f); u.B(0)[1][1] = tensor(-2f);

        var (projection, squaredLength) = GradientAlignment.Compute(u, g);

        Assert.Equal([1.5f, -0.5f], projection.data<float>().ToArray());
        Assert.Equal([6.25f, 0.25f], squaredLength.data<float>().ToArray());
    }

    [Fact]
    public void TinyGradients_StillGiveFiniteRatios()
    {
        // ‖g‖² ≈ 1.2e-35, near float32's smallest normal number; ‖u‖²·‖g‖² would be 0 there.
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        using var u = new LayeredTensor(Shape, full(1, Shape.ParameterCount, held[3e-18], ScalarType.Float32));
        using var g = new LayeredTensor(Shape, full(1, Shape.ParameterCount, held[1e-18], ScalarType.Float32));
        var (projection, squaredLength) = GradientAlignment.Compute(u, g);
        Assert.Equal(3.0, projection.item<float>(), 3);
        Assert.Equal(9.0, squaredLength.item<float>(), 2);
    }
}
