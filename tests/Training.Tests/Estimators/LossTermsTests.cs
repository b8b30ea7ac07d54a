using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Estimators;

/// <summary>The loss and its logit gradient, both routes (the CPU's fused pass and the tensor ops), against libtorch's
/// cross_entropy and autograd, cell by cell.</summary>
public class LossTermsTests
{
    public LossTermsTests() => TinyNets.Init();

    [Theory]
    [InlineData(1.0)]
    [InlineData(300.0)]                                                              // exp would overflow without the max shift
    public void FusedAndTensorOpRoutes_EqualAutogradCrossEntropy(double scale)
    {
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        const int pack = 3, batch = 7, classes = 10;
        using var gen = new Generator(5, CPU);
        var logits = randn([pack, batch, classes], generator: gen).mul(held[scale]);
        var labels = randint(0, classes, [batch], generator: gen, dtype: ScalarType.Int64);

        var (fusedLoss, fusedGradient) = LossTerms.LossAndGradient(logits, labels);
        var opsLoss = LossTerms.Loss(logits, labels);
        var opsGradient = LossTerms.LogitGradient(logits, labels);
        for (int p = 0; p < pack; p++)
        {
            var z = logits[p].detach().clone().requires_grad_(true);
            var expected = nn.functional.cross_entropy(z, labels);
            var grad = autograd.grad([expected], [z])[0];
            double tolerance = 1e-5 * Math.Max(1, Math.Abs(expected.item<float>()));
            Assert.Equal(expected.item<float>(), fusedLoss[p].item<float>(), tolerance);
            Assert.Equal(expected.item<float>(), opsLoss[p].item<float>(), tolerance);
            Assert.True(grad.allclose(fusedGradient[p], rtol: 1e-4, atol: 1e-6), $"fused gradient, cell {p}");
            Assert.True(grad.allclose(opsGradient[p], rtol: 1e-4, atol: 1e-6), $"tensor-op gradient, cell {p}");
        }
    }

    [Fact]
    public void NonFiniteLogits_GiveANonFiniteLoss_SoDivergenceIsSeen()
    {
        using var scope = NewDisposeScope();
        var logits = zeros(2, 3, 4);
        logits[1, 2, 0] = tensor(float.NaN);
        var (loss, _) = LossTerms.LossAndGradient(logits, tensor(new long[] { 0, 1, 2 }));
        Assert.True(float.IsFinite(loss[0].item<float>()), "the healthy cell");
        Assert.False(float.IsFinite(loss[1].item<float>()), "the cell with a NaN logit");
    }

    [Fact]
    public void LabelOutsideTheClasses_IsRefused()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => LossTerms.LossAndGradient(zeros(1, 2, 4), tensor(new long[] { 0, 4 })));
        Assert.Contains("label 4", e.Message);
    }
}
