using GradGuessCluster.Training.Inspection;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Inspection;

/// <summary>Each figure of <see cref="PackInspection"/> against an independent computation: autograd for the gradient and
/// the backward signal, a plain forward pass for the activations, SVDs of the weights and of the stacked inputs.</summary>
public class PackInspectionTests
{
    private static readonly MlpShape Shape = new(Inputs: 6, Width: 5, Depth: 2, Classes: 3);

    /// <summary>x², written as x·x: TorchSharp's square() is pow(2), with a Scalar nothing holds (GG0003).</summary>
    private static Tensor Sq(Tensor x) => x.mul(x);

    public PackInspectionTests() => TinyNets.Init();

    [Fact]
    public void EveryFigure_MatchesAnIndependentComputation_ForEachCellOfAPack()
    {
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        using var model = TinyNets.Model(Shape, 4, 9);
        var (x, y) = TinyNets.Batch(Shape, 50, seed: 2);
        var cells = PackInspection.Inspect(model, x, y, directions: 2, chunkRows: 7);   // 8 chunks, the last short

        Assert.Equal(2, cells.Count);
        for (int p = 0; p < 2; p++)
        {
            var (w, b) = TinyNets.Leaves(model, p);
            var (s, loss) = TinyNets.AutogradForward(w, b, x, y);
            foreach (var pre in s) pre.retain_grad();
            // Σ of the per-example losses: its gradient with respect to s is each example's own ∂ℓ/∂s.
            var perExample = loss.mul(held[50L]);
            perExample.backward();
            var cell = cells[p];
            Assert.Equal(loss.item<float>(), cell.Loss, 4);
            Assert.Equal(s[^1].argmax(1).eq(y).to(ScalarType.Float64).mean().item<double>(), cell.Accuracy, 12);
            // The mean loss's gradient is the summed one over 50.
            var squares = Enumerable.Range(0, 3).Select(i => Sq(w[i].grad!).sum().item<float>() + Sq(b[i].grad!).sum().item<float>()).ToArray();
            for (int i = 0; i < 3; i++)
            {
                var l = cell.Layers[i];
                var input = i == 0 ? x : s[i - 1].relu();
                var W = w[i].detach().to(ScalarType.Float64);
                var sigma = linalg.svdvals(W);
                Assert.Equal(squares[i] / squares.Sum(), l.GradientShare, 4);
                Assert.Equal(Math.Sqrt(Sq(s[i].grad!).sum(1).mean().item<float>()), l.BackwardRms, 4);
                Assert.Equal(Math.Sqrt(Sq(input).sum(1).mean().item<float>()), l.InputRms, 4);
                Assert.Equal(Sq(W).sum().sqrt().item<double>(), l.WeightNorm, 5);
                Assert.Equal(sigma[0].item<double>(), l.SpectralNorm, 5);
                Assert.Equal(Sq(W).sum().item<double>() / Math.Pow(sigma[0].item<double>(), 2), l.StableRank, 4);
                // The inputs' top principal directions: the top right singular vectors of the stacked inputs.
                var top = linalg.svd(input.detach().to(ScalarType.Float64), fullMatrices: false).Item3.narrow(0, 0, 2);
                Assert.Equal(Sq(W.mm(top.t())).sum().item<double>() / Sq(W).sum().item<double>(), l.InputTopShare!.Value, 4);
                if (i < 2)
                {
                    var open = s[i].gt(held[0L]);
                    Assert.Equal(open.to(ScalarType.Float64).mean().item<double>(), l.ActiveFraction!.Value, 12);
                    Assert.Equal(open.any(0).logical_not().sum().item<long>(), l.DeadUnits!.Value);
                }
                else Assert.Null(l.ActiveFraction);
            }
        }
    }

    [Fact]
    public void AUnitThatNoExampleOpens_IsCountedDead_AndAllDirections_HoldTheWholeWeight()
    {
        using var scope = NewDisposeScope();
        using var model = TinyNets.Model(Shape, 1);
        model.Parameters.B(0)[0][3] = tensor(-1e6f);            // unit 3 of the first hidden layer: closed on every input
        var (x, y) = TinyNets.Batch(Shape, 40, seed: 5);

        var layers = PackInspection.Inspect(model, x, y, directions: 99)[0].Layers;

        using var held = new HeldScalars();
        var closed = x.mm(model.Parameters.W(0)[0].t()).add(model.Parameters.B(0)[0], Scalars.One).gt(held[0L]).any(0).logical_not();
        Assert.True(closed[3].item<bool>());
        Assert.Equal((int)closed.sum().item<long>(), layers[0].DeadUnits!.Value);
        Assert.True(layers[0].ActiveFraction <= 4.0 / 5);
        Assert.All(layers, l => Assert.Equal(1.0, l.InputTopShare!.Value, 9));   // 99 directions: all of each input space
    }

    [Fact]
    public void AnInputTooWideForItsPrincipalDirections_HasNoTopShare_ButEveryOtherFigure()
    {
        using var scope = NewDisposeScope();
        var wide = new MlpShape(Inputs: PackInspection.MaxPrincipalInputs + 1, Width: 3, Depth: 1, Classes: 2);
        using var model = TinyNets.Model(wide, 1);
        var (x, y) = TinyNets.Batch(wide, 8, seed: 5);

        var layers = PackInspection.Inspect(model, x, y)[0].Layers;

        Assert.Null(layers[0].InputTopShare);
        Assert.NotNull(layers[1].InputTopShare);
        Assert.Equal(Math.Sqrt(Sq(x).sum(1).mean().item<float>()), layers[0].InputRms, 3);
    }

    [Fact]
    public void ACellWithNonFiniteWeights_LeavesItsPackmatesFiguresAsTheyAreAlone()
    {
        using var scope = NewDisposeScope();
        using var pack = TinyNets.Model(Shape, 4, 9);
        using var alone = TinyNets.Model(Shape, 4);
        pack.Parameters.W(1)[1][0][0] = tensor(float.NaN);     // cell 1 diverged
        var (x, y) = TinyNets.Batch(Shape, 30, seed: 6);

        var cells = PackInspection.Inspect(pack, x, y);
        var reference = PackInspection.Inspect(alone, x, y)[0];

        Assert.True(double.IsNaN(cells[1].Loss));
        Assert.Equal(reference.Loss, cells[0].Loss, 6);
        for (int i = 0; i < Shape.Layers; i++)
        {
            var (a, b) = (cells[0].Layers[i], reference.Layers[i]);
            Assert.Equal(b.GradientShare, a.GradientShare, 6);
            Assert.Equal(b.InputTopShare!.Value, a.InputTopShare!.Value, 6);
            Assert.Equal(b.BackwardRms, a.BackwardRms, 6);
            Assert.Equal(b.SpectralNorm, a.SpectralNorm, 9);
        }
    }

    [Fact]
    public void NoExamples_OrNoDirections_AreRefused()
    {
        using var scope = NewDisposeScope();
        using var model = TinyNets.Model(Shape, 1);
        var (x, y) = TinyNets.Batch(Shape, 4, seed: 5);
        Assert.Throws<ArgumentException>(() => PackInspection.Inspect(model, x.narrow(0, 0, 0), y.narrow(0, 0, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PackInspection.Inspect(model, x, y, directions: 0));
    }
}
