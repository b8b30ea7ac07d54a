using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Data;

[Collection(ProcessWideState.Name)]
public sealed class SyntheticDatasetTests(ITestOutputHelper output)
{
    [Fact]
    public void Create_SameParameters_SameTensorsWhateverTheGlobalSeed()
    {
        TorchRuntime.SetThreads(1);
        torch.manual_seed(1);
        using var a = SyntheticDataset.Create(300, 100, 20, seed: 7);
        torch.manual_seed(2);
        _ = torch.randn(1000);
        using var b = DatasetLoader.Load(new DataSource("synthetic", SyntheticTrain: 300, SyntheticTest: 100, SyntheticFeatures: 20, SyntheticSeed: 7));

        Assert.True(Tensors.Same(a.TrainX, b.TrainX));
        Assert.True(Tensors.Same(a.TrainY, b.TrainY));
        Assert.True(Tensors.Same(a.TestX, b.TestX));
        Assert.True(Tensors.Same(a.TestY, b.TestY));
        Assert.Equal((300L, 100L, 20, 10), (a.TrainCount, a.TestCount, a.Features, a.Classes));
        Assert.Equal(ScalarType.Float32, a.TrainX.dtype);
        Assert.Equal(ScalarType.Int64, a.TrainY.dtype);
    }

    [Fact]
    public void Create_DifferentSeed_DifferentData_AndTrainSplitIgnoresTestSize()
    {
        TorchRuntime.SetThreads(1);
        using var a = SyntheticDataset.Create(300, 100, 20, seed: 7);
        using var b = SyntheticDataset.Create(300, 100, 20, seed: 8);
        using var c = SyntheticDataset.Create(300, 50, 20, seed: 7);

        Assert.False(Tensors.Same(a.TrainX, b.TrainX));
        Assert.True(Tensors.Same(a.TrainX, c.TrainX));
        Assert.True(Tensors.Same(a.TrainY, c.TrainY));
        Assert.False(Tensors.Same(a.TestX[..50], b.TestX[..50]));
    }

    [Fact]
    public void Create_Defaults_BalancedStandardisedFeatures()
    {
        TorchRuntime.SetThreads(1);
        using var d = SyntheticDataset.Create(new DataSource("synthetic"));
        var counts = d.TrainY.bincount(null).data<long>().ToArray();
        Assert.Equal(10, counts.Length);
        Assert.All(counts, c => Assert.InRange(c, 150, 260));        // 2048 / 10 ≈ 205 each
        Assert.InRange(d.TrainX.mean().item<float>(), -1e-3, 1e-3);
        Assert.InRange(d.TrainX.std().item<float>(), 0.99, 1.01);
    }

    [Fact]
    public void Create_BadParameters_NameThem()
    {
        Assert.Contains("train", Assert.Throws<ArgumentException>(() => SyntheticDataset.Create(0, 10, 8, 1)).Message);
        Assert.Contains("feature", Assert.Throws<ArgumentException>(() =>
            DatasetLoader.Check(new DataSource("synthetic", SyntheticFeatures: 1))).Message);
    }

    [Fact]
    public void Defaults_SmallMlpLearnsWellAboveChance_LinearModelDoesNot()
    {
        TorchRuntime.SetThreads(1);
        using var d = SyntheticDataset.Create(new DataSource("synthetic"));
        var (mlpTrain, mlpTest) = Fit(d, hidden: 64, epochs: 6);
        var (linTrain, linTest) = Fit(d, hidden: 0, epochs: 6);
        output.WriteLine($"MLP train {mlpTrain:F3} test {mlpTest:F3}; linear train {linTrain:F3} test {linTest:F3}");
        Assert.InRange(mlpTest, 0.75, 1.0);          // chance is 0.1
        Assert.InRange(mlpTrain, 0.8, 0.99);         // learnable, but not perfect in a few epochs
        Assert.InRange(linTrain, 0.15, 0.6);         // multi-modal, bent classes defeat a linear model
    }

    /// <summary>Adam (lr 3e-3, PyTorch's defaults otherwise) on a one-hidden-layer ReLU MLP, or a linear model when
    /// hidden = 0, batch 64; final accuracies. Adam is written out: torch.optim's step makes Scalars inside (GG0003).</summary>
    private static (double Train, double Test) Fit(Dataset d, int hidden, int epochs)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        nn.Module<Tensor, Tensor> model = hidden == 0
            ? nn.Linear(d.Features, 10)
            : nn.Sequential(nn.Linear(d.Features, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 10));
        var parameters = model.parameters().ToArray();
        var moments = parameters.Select(p => (M: zeros_like(p), V: zeros_like(p))).ToArray();
        using Scalar beta1 = 0.9, rest1 = 0.1, beta2 = 0.999, rest2 = 0.001, eps = 1e-8, one = 1;
        var steps = 0;
        for (int e = 0; e < epochs; e++)
            foreach (var idx in SeededBatchOrder.Batches(d.TrainCount, 64, seed: 1, epoch: e))
            {
                using var step = NewDisposeScope();
                using var _ = idx;
                model.zero_grad();
                nn.functional.cross_entropy(model.call(d.TrainX.index_select(0, idx)), d.TrainY.index_select(0, idx)).backward();
                steps++;
                using Scalar rate = -3e-3 / (1 - Math.Pow(0.9, steps)), unbias2 = 1 / (1 - Math.Pow(0.999, steps));
                using var inPlace = no_grad();
                foreach (var (p, (m, v)) in parameters.Zip(moments))
                {
                    m.mul_(beta1).add_(p.grad!, rest1);
                    v.mul_(beta2).addcmul_(p.grad!, p.grad!, rest2);
                    p.addcdiv_(m, v.mul(unbias2).sqrt_().add_(eps, one), rate);
                }
            }
        using var noGrad = no_grad();
        double Acc(Tensor x, Tensor y) => model.call(x).argmax(1).eq(y).to_type(ScalarType.Float32).mean().item<float>();
        return (Acc(d.TrainX, d.TrainY), Acc(d.TestX, d.TestY));
    }
}
