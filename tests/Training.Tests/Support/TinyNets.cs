using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Support;

/// <summary>Small random networks, batches and data sets for numeric tests (one libtorch thread).</summary>
internal static class TinyNets
{
    static TinyNets() => TorchRuntime.SetThreads(1);

    public static void Init() => TorchRuntime.SetThreads(1);

    /// <summary>Two linear layers of W [2,2] and b [2]: small enough to fill by hand.</summary>
    public static readonly MlpShape TwoByTwo = new(Inputs: 2, Width: 2, Depth: 1, Classes: 2);

    public static MlpPack Model(MlpShape shape, params long[] seeds) => MlpPack.Create(shape, seeds, CPU);

    /// <summary>A random batch: x [B, F] ~ N(0, 1), labels uniform over the classes.</summary>
    public static (Tensor X, Tensor Y) Batch(MlpShape shape, long batch, long seed)
    {
        using var gen = new Generator((ulong)seed, CPU);
        var x = randn([batch, shape.Inputs], generator: gen);
        var y = randint(0, shape.Classes, [batch], generator: gen, dtype: ScalarType.Int64);
        return (x, y);
    }

    /// <summary>A learnable random data set: labels from a fixed random linear teacher on Gaussian inputs.</summary>
    public static Dataset Data(int features, int train, int test, int classes = 10, long seed = 3)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)seed, CPU);
        var teacher = randn([features, classes], generator: gen);
        var xTrain = randn([train, features], generator: gen);
        var xTest = randn([test, features], generator: gen);
        return new Dataset("tiny", xTrain, xTrain.mm(teacher).argmax(1), xTest, xTest.mm(teacher).argmax(1), classes);
    }

    /// <summary>Per-cell copies of the pack's weights as autograd leaves: W_i [o, n], b_i [o].</summary>
    public static (Tensor[] W, Tensor[] B) Leaves(MlpPack model, int cell)
    {
        var w = new Tensor[model.Shape.Layers];
        var b = new Tensor[model.Shape.Layers];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = model.Parameters.W(i)[cell].detach().clone().requires_grad_(true);
            b[i] = model.Parameters.B(i)[cell].detach().clone().requires_grad_(true);
        }
        return (w, b);
    }

    /// <summary>Plain autograd forward of one cell: returns the pre-activations s_i (graph kept) and the mean loss.</summary>
    public static (Tensor[] S, Tensor Loss) AutogradForward(Tensor[] w, Tensor[] b, Tensor x, Tensor y)
    {
        var s = new Tensor[w.Length];
        var h = x;
        for (int i = 0; i < w.Length; i++)
        {
            s[i] = nn.functional.linear(h, w[i], b[i]);
            h = i < w.Length - 1 ? s[i].relu() : s[i];
        }
        return (s, nn.functional.cross_entropy(s[^1], y));
    }
}
