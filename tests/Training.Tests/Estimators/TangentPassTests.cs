using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Estimators;

public class TangentPassTests
{
    public TangentPassTests() => TinyNets.Init();

    [Theory]
    [InlineData(1, 11)]
    [InlineData(3, 12)]
    [InlineData(4, 13)]
    public void WeightTangent_MatchesAutogradDirectionalDerivative(int depth, long seed)
    {
        using var scope = NewDisposeScope();
        var shape = new MlpShape(Inputs: 7, Width: 9, Depth: depth, Classes: 4);
        using var model = TinyNets.Model(shape, seed, seed + 100);
        var (x, y) = TinyNets.Batch(shape, 16, seed);
        using var tangent = new LayeredTensor(shape, randn(2, shape.ParameterCount, generator: new Generator((ulong)seed + 7, CPU)));

        var fwd = model.Forward(x);
        var d = TangentPass.PerExample(model, fwd, LossTerms.LogitGradient(fwd.Logits, y), tangent, null).sum(1);

        for (int cell = 0; cell < 2; cell++)
        {
            var (w, b) = TinyNets.Leaves(model, cell);
            var (_, loss) = TinyNets.AutogradForward(w, b, x, y);
            var grads = autograd.grad([loss], [.. w, .. b]);
            double expected = 0;
            for (int i = 0; i < shape.Layers; i++)
            {
                expected += grads[i].mul(tangent.W(i)[cell]).sum().item<float>();
                expected += grads[shape.Layers + i].mul(tangent.B(i)[cell]).sum().item<float>();
            }
            double actual = d[cell].item<float>();
            Assert.True(Math.Abs(actual - expected) <= 1e-4 * Math.Abs(expected) + 1e-7,
                $"cell {cell}: JVP {actual} vs autograd {expected}");
        }
    }

    [Theory]
    [InlineData(2, 21)]
    [InlineData(3, 22)]
    public void InjectedTangents_MatchAutogradPerExample(int depth, long seed)
    {
        using var scope = NewDisposeScope();
        var shape = new MlpShape(Inputs: 6, Width: 8, Depth: depth, Classes: 5);
        using var model = TinyNets.Model(shape, seed);
        var (x, y) = TinyNets.Batch(shape, 12, seed);
        var gen = new Generator((ulong)seed + 1, CPU);
        var injected = Enumerable.Range(0, shape.Layers)
            .Select(i => (Tensor?)randn([1, 12, shape.OutSize(i)], generator: gen)).ToArray();

        var fwd = model.Forward(x);
        var d = TangentPass.PerExample(model, fwd, LossTerms.LogitGradient(fwd.Logits, y), null, injected)[0];   // [B]

        var (w, b) = TinyNets.Leaves(model, 0);
        var (s, loss) = TinyNets.AutogradForward(w, b, x, y);
        var deltas = autograd.grad([loss], s);                                       // δ_i = ∂L/∂s_i  [B, n_i]
        var expected = zeros(12);
        for (int i = 0; i < shape.Layers; i++) expected.add_(deltas[i].mul(injected[i]![0]).sum(1), Scalars.One);

        var err = d.sub(expected).abs().max().item<float>();
        var scale = expected.abs().max().item<float>();
        Assert.True(err <= 1e-4 * scale + 1e-8, $"max |d - autograd| = {err} (scale {scale})");
    }

    [Theory]
    [InlineData(new[] { 0, 1, 0 })]
    [InlineData(new[] { 0, 0, 0 })]
    public void EqualTangentsAcrossCells_GiveWhatEachCellsOwnPassGives(int[] equalTangents)
    {
        using var scope = NewDisposeScope();
        var shape = new MlpShape(Inputs: 7, Width: 9, Depth: 2, Classes: 4);
        using var model = TinyNets.Model(shape, 31, 32, 33);
        var (x, y) = TinyNets.Batch(shape, 16, 31);
        var own = randn(3, shape.ParameterCount, generator: new Generator(34, CPU));
        using var tangent = new LayeredTensor(shape, own.index_select(0, tensor(equalTangents.Select(q => (long)q).ToArray())));

        var fwd = model.Forward(x);
        var g = LossTerms.LogitGradient(fwd.Logits, y);
        var expected = TangentPass.PerExample(model, fwd, g, tangent, null);
        var shared = TangentPass.PerExample(model, fwd, g, tangent, null, equalTangents);

        var err = shared.sub(expected).abs().max().item<float>();
        var scale = expected.abs().max().item<float>();
        Assert.True(err <= 1e-5 * scale, $"max |d shared - d per cell| = {err} (scale {scale})");
    }
}
