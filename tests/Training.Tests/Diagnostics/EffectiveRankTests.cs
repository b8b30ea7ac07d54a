using GradGuessCluster.Training.Diagnostics;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Diagnostics;

public class EffectiveRankTests
{
    private static readonly MlpShape Shape = new(Inputs: 6, Width: 4, Depth: 1, Classes: 3);   // W_0 [4, 6], W_1 [3, 4]

    public EffectiveRankTests() => TinyNets.Init();

    [Fact]
    public void EqualSingularValues_GiveTheFullRank_AndARankOneMatrixGivesOne()
    {
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        using var pack = LayeredTensor.Zeros(Shape, 2, CPU);
        pack.W(0)[0].copy_(eye(4, 6).mul(held[3L]));                                       // four equal singular values
        pack.W(1)[0].copy_(eye(3, 4));                                              // three
        pack.W(0)[1].copy_(outer(randn(4), randn(6)));                             // rank one
        pack.W(1)[1].copy_(outer(randn(3), randn(4)));
        var r = EffectiveRank.Compute(pack);
        Assert.Equal(4.0, r[0][0].item<float>(), 4);
        Assert.Equal(3.0, r[0][1].item<float>(), 4);
        Assert.Equal(1.0, r[1][0].item<float>(), 3);
        Assert.Equal(1.0, r[1][1].item<float>(), 3);
    }

    [Fact]
    public void ANonFiniteMatrix_GetsNaN_AndLeavesItsPackmatesRanksAsTheyAreAlone()
    {
        using var scope = NewDisposeScope();
        using var pack = new LayeredTensor(Shape, randn(3, Shape.ParameterCount));
        using var alone = new LayeredTensor(Shape, pack.Flat.narrow(0, 1, 1).clone());
        pack.W(0)[0][1][2] = tensor(float.NaN);
        pack.W(1)[2][0][0] = tensor(float.PositiveInfinity);
        var r = EffectiveRank.Compute(pack);                                         // LAPACK alone throws on the NaN
        Assert.True(float.IsNaN(r[0][0].item<float>()));
        Assert.False(float.IsNaN(r[0][1].item<float>()), "a finite layer of a broken cell keeps its rank");
        Assert.True(float.IsNaN(r[2][1].item<float>()));
        Assert.False(float.IsNaN(r[2][0].item<float>()));
        Assert.True(r[1].allclose(EffectiveRank.Compute(alone)[0]), "the finite cell's ranks changed");
    }
}
