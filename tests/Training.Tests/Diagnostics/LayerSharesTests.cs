using GradGuessCluster.Training.Diagnostics;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Diagnostics;

public class LayerSharesTests
{
    private static readonly MlpShape Shape = TinyNets.TwoByTwo;   // per layer: W [2,2], b [2]

    public LayerSharesTests() => TinyNets.Init();

    [Fact]
    public void EachLayersFractionOfTheSquaredNorm_PerCell_BiasesCounted_ZeroVectorGivesZeros()
    {
        using var scope = NewDisposeScope();
        using var v = LayeredTensor.Zeros(Shape, 3, CPU);
        // Cell 0: 3 in layer 0's W, 4 in layer 1's b: 9/25 and 16/25. Cell 1: all in layer 1 (W and b). Cell 2: zero.
        v.W(0)[0][1][0] = tensor(3f); v.B(1)[0][1] = tensor(4f);
        v.W(1)[1][0][1] = tensor(1f); v.B(1)[1][0] = tensor(2f);

        var shares = LayerShares.Of(LayerProducts.Of(v, v).UpdateSquares);

        Assert.Equal(new long[] { 3, 2 }, shares.shape);
        Assert.Equal([0.36f, 0.64f, 0f, 1f, 0f, 0f], shares.flatten().data<float>().ToArray());
    }

    [Fact]
    public void OverallCosine_IsTheLayerCosinesWeightedByTheSharesGeometricMeans()
    {
        // cos = Σ_l ⟨u_l,g_l⟩ / (‖u‖‖g‖) = Σ_l cos_l · (‖u_l‖/‖u‖)(‖g_l‖/‖g‖): what the shares are for.
        using var scope = NewDisposeScope();
        var shape = new MlpShape(Inputs: 5, Width: 4, Depth: 2, Classes: 3);
        using var generator = new Generator(7, CPU);
        using var held = new HeldScalars();
        // Lengths that grow along the vector, so that the layers' shares differ.
        using var u = new LayeredTensor(shape, randn([2, shape.ParameterCount], generator: generator).mul_(linspace(0.1, 3, shape.ParameterCount)));
        using var g = new LayeredTensor(shape, randn([2, shape.ParameterCount], generator: generator).add_(u.Flat, alpha: held[0.5]));

        var products = LayerProducts.Of(u, g);
        var (perLayer, overall) = CosineSimilarity.From(products);
        var recomposed = perLayer.mul(LayerShares.Of(products.UpdateSquares).mul(LayerShares.Of(products.GradientSquares)).sqrt()).sum(1);

        Assert.True(overall.abs().min().item<float>() > 0.1f, "the test needs cosines far from 0");
        Assert.Equal(overall.data<float>().ToArray(), recomposed.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
    }
}
