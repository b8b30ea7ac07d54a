using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Optim;

/// <summary>Optimizer steps against values computed by hand (scalar double arithmetic written out from the
/// formulas, element by element), on a 1-layer model whose flat vector holds W [2×2] and b [2].</summary>
[Collection(ProcessWideState.Name)]
public class OptimizerStepTests
{
    private static readonly MlpShape Shape = TinyNets.TwoByTwo;   // W0 [2,2] b0 [2] W1 [2,2] b1 [2]
    private static readonly float[] Theta0 = [0.5f, -0.25f, 1.0f, 2.0f, 0.1f, -0.3f, 0.7f, -1.5f, 0.2f, 0.4f, -0.6f, 0.05f];
    private static readonly float[][] Grads =
    [
        [0.1f, -0.2f, 0.3f, 0.05f, -0.4f, 0.0f, 1.0f, -2.0f, 0.5f, 0.25f, -0.125f, 3.0f],
        [0.3f, 0.1f, -0.2f, 0.5f, 0.4f, -0.1f, 9.0f, 8.0f, -7.0f, 6.0f, 0.5f, -4.0f],   // a jump: triggers StableAdamW's clip
        [-0.05f, 0.2f, 0.1f, 0.0f, 0.2f, 0.3f, 0.1f, 0.1f, 0.1f, -0.1f, 0.2f, 0.3f],
    ];

    public OptimizerStepTests() => TinyNets.Init();

    /// <summary>Each step path, with every layer at the learning rate and with the output layer's (W1, b1: elements 6 to
    /// 11) at 0.4 times it; at a constant rate, and under <see cref="Cosine"/>.</summary>
    public static TheoryData<StepPath, double, bool> PathsAndOutputScales()
    {
        var data = new TheoryData<StepPath, double, bool>();
        foreach (var path in Enum.GetValues<StepPath>())
            foreach (var scale in new[] { 1.0, 0.4 })
                foreach (var cosine in new[] { false, true }) data.Add(path, scale, cosine);
        return data;
    }

    /// <summary>A cosine schedule over three epochs, each one step of <see cref="Grads"/> here: the steps take 1, ¾ and ¼
    /// of the rate (the decay too), and the moments carry over each change of rate.</summary>
    private static readonly LrSchedule Cosine = new(ScheduleKind.Cosine, Epochs: 3);

    /// <summary>Element j's learning rate at step t: the output layer's from element 6 on, times the schedule's factor.</summary>
    private static double Rate(double lr, double outputScale, int j, int t, bool cosine) =>
        (j >= 6 ? lr * outputScale : lr) * (cosine ? Cosine.Factor(t) : 1.0);

    [Fact]
    public void TheCosineOfTheseTests_TakesOneThreeQuartersAndAQuarterOfTheRate() =>
        Assert.Equal([1.0, 0.75, 0.25], [.. Enumerable.Range(1, 3).Select(e => Math.Round(Cosine.Factor(e), 12))]);

    [Theory]
    [MemberData(nameof(PathsAndOutputScales))]
    public void Sgd_WithMomentumAndDecay_MatchesHandComputed(StepPath path, double outputScale, bool cosine)
    {
        using var kernels = new KernelMode(path);
        var s = new OptimizerSettings(OptimizerKind.Sgd, 0.1, WeightDecay: 0.01, Momentum: 0.9, OutputLrScale: outputScale, Schedule: cosine ? Cosine : null);
        var theta = Theta0.Select(v => (double)v).ToArray();
        var buf = new double[theta.Length];
        for (int t = 1; t <= Grads.Length; t++)
            for (int j = 0; j < theta.Length; j++)
            {
                double g = Grads[t - 1][j] + 0.01 * theta[j];
                buf[j] = t == 1 ? g : 0.9 * buf[j] + g;
                theta[j] -= Rate(0.1, outputScale, j, t, cosine) * buf[j];
            }
        AssertClose(theta, Run(s, path));
    }

    [Theory]
    [MemberData(nameof(PathsAndOutputScales))]
    public void AdamW_MatchesHandComputed(StepPath path, double outputScale, bool cosine)
    {
        using var kernels = new KernelMode(path);
        var s = OptimizerSettings.Default(OptimizerKind.AdamW, 0.01) with { WeightDecay = 0.1, OutputLrScale = outputScale, Schedule = cosine ? Cosine : null };
        var theta = Theta0.Select(v => (double)v).ToArray();
        var m = new double[theta.Length];
        var v = new double[theta.Length];
        for (int t = 1; t <= Grads.Length; t++)
            for (int j = 0; j < theta.Length; j++)
            {
                double g = Grads[t - 1][j], lr = Rate(0.01, outputScale, j, t, cosine);
                theta[j] *= 1 - lr * 0.1;
                m[j] = 0.9 * m[j] + 0.1 * g;
                v[j] = 0.999 * v[j] + 0.001 * g * g;
                double mHat = m[j] / (1 - Math.Pow(0.9, t)), vHat = v[j] / (1 - Math.Pow(0.999, t));
                theta[j] -= lr * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        AssertClose(theta, Run(s, path));
    }

    [Theory]
    [MemberData(nameof(PathsAndOutputScales))]
    public void StableAdamW_MatchesHandComputed_IncludingUpdateClipping(StepPath path, double outputScale, bool cosine)
    {
        using var kernels = new KernelMode(path);
        var s = OptimizerSettings.Default(OptimizerKind.StableAdamW, 0.01) with { WeightDecay = 0.1, OutputLrScale = outputScale, Schedule = cosine ? Cosine : null };
        var theta = Theta0.Select(x => (double)x).ToArray();
        var v = new double[theta.Length];
        var u = new double[theta.Length];
        // Tensors (per-tensor RMS): W0 = [0,4), b0 = [4,6), W1 = [6,10), b1 = [10,12).
        int[][] tensors = [[0, 1, 2, 3], [4, 5], [6, 7, 8, 9], [10, 11]];
        bool clipped = false;
        for (int t = 1; t <= Grads.Length; t++)
        {
            double b1 = 0.9 * (1 - Math.Pow(0.9, t - 1)) / (1 - Math.Pow(0.9, t));
            double b2 = 0.99 * (1 - Math.Pow(0.99, t - 1)) / (1 - Math.Pow(0.99, t));
            var g = Grads[t - 1];
            for (int j = 0; j < theta.Length; j++)
            {
                v[j] = b1 * v[j] + (1 - b1) * g[j];
                u[j] = b2 * u[j] + (1 - b2) * g[j] * g[j];
            }
            foreach (var idx in tensors)
            {
                double rms = Math.Sqrt(idx.Average(j => g[j] * (double)g[j] / Math.Max(u[j], 1e-12)));
                double lr = Rate(0.01, outputScale, idx[0], t, cosine), eta = lr / Math.Max(1, rms / 1.0);
                clipped |= rms > 1;
                foreach (var j in idx) theta[j] = theta[j] * (1 - lr * 0.1) - eta * v[j] / (Math.Sqrt(u[j]) + 1e-6);
            }
        }
        Assert.True(clipped, "the test data should exercise the clip");
        AssertClose(theta, Run(s, path));
    }

    [Fact]
    public void StableAdamW_FirstStep_UsesGradientAsBothMoments()
    {
        Assert.Equal(0.0, StableAdamW.CorrectedBeta(0.9, 1), 12);
        Assert.Equal(0.9 * 0.1 / (1 - 0.81), StableAdamW.CorrectedBeta(0.9, 2), 12);
    }

    [Theory]
    [InlineData(StepPath.Fused)]
    [InlineData(StepPath.PerCell)]
    [InlineData(StepPath.WholePack)]
    public void StableAdamW_SmallestAllowedEpsilon_StaysFiniteWhereAGradientIsZero(StepPath path)
    {
        // Grads[0] has a zero entry: its u is 0 after the first step, so RMS divides 0 by max(u, ε²).
        using var kernels = new KernelMode(path);
        var s = OptimizerSettings.Default(OptimizerKind.StableAdamW, 0.01) with { Epsilon = OptimizerSettings.MinEpsilon };
        s.Validate();
        Assert.All(Run(s, path), x => Assert.True(double.IsFinite(x), "a parameter went non-finite"));
        var below = s with { Epsilon = OptimizerSettings.MinEpsilon / 2 };
        Assert.Contains("epsilon", Assert.Throws<InvalidSettingException>(below.Validate).Message);
    }

    public static TheoryData<OptimizerKind, StepPath> PackCases()
    {
        var data = new TheoryData<OptimizerKind, StepPath>();
        foreach (var kind in Enum.GetValues<OptimizerKind>())
            foreach (var path in Enum.GetValues<StepPath>()) data.Add(kind, path);
        return data;
    }

    [Theory]
    [MemberData(nameof(PackCases))]
    public void PackOfCells_EachFollowsItsOwnHyperparameters(OptimizerKind kind, StepPath path)
    {
        using var kernels = new KernelMode(path);
        var a = OptimizerSettings.Default(kind, 0.01) with { Momentum = kind == OptimizerKind.Sgd ? 0.9 : 0 };
        // Every hyperparameter the optimizer reads differs between the two cells (the clip only StableAdamW's); only the
        // second scales its output layer's rate.
        var b = a with
        {
            LearningRate = 0.002, WeightDecay = 0.1, Momentum = kind == OptimizerKind.Sgd ? 0.5 : 0,
            Beta1 = 0.8, Beta2 = 0.95, Epsilon = 1e-3, ClipThreshold = 0.5, OutputLrScale = 2.5,
        };
        var alone = new[] { Run(a, path), Run(b, path) };
        Assert.NotEqual(alone[0], alone[1]);
        var packed = Run([a, b], path);
        for (int p = 0; p < 2; p++)
            AssertClose(alone[p], packed.Skip(p * Theta0.Length).Take(Theta0.Length).ToArray());
    }

    /// <summary>The hand-computed model's tensors (4 and 2 elements) are shorter than a SIMD vector, so there the fused
    /// kernels run only their scalar tails. Here every segment has whole vectors and a ragged tail (63, 9, 81, 9, 27, 3
    /// elements), and the libtorch path is the reference; a jump in the gradients makes StableAdamW clip.</summary>
    [Theory]
    [InlineData(OptimizerKind.Sgd, null)]
    [InlineData(OptimizerKind.AdamW, null)]
    [InlineData(OptimizerKind.StableAdamW, null)]
    [InlineData(OptimizerKind.Sgd, 0.3)]
    [InlineData(OptimizerKind.AdamW, 0.3)]
    [InlineData(OptimizerKind.StableAdamW, 0.3)]
    public void FusedKernels_OverVectorsAndTails_MatchTheLibtorchPath(OptimizerKind kind, double? outputScale)
    {
        var shape = new MlpShape(Inputs: 7, Width: 9, Depth: 2, Classes: 3);
        var random = new Random(11);
        float[] Draw(double scale) => Enumerable.Range(0, (int)shape.ParameterCount).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
        var theta0 = Draw(1);
        float[][] grads = [Draw(0.1), Draw(0.1), Draw(5), Draw(0.1)];
        var cells = new[] { OptimizerSettings.Default(kind, 0.01) with { WeightDecay = 0.05, Momentum = kind == OptimizerKind.Sgd ? 0.9 : 0, OutputLrScale = outputScale } };

        var fused = Run(cells, StepPath.Fused, shape, theta0, grads);
        var reference = Run(cells, StepPath.PerCell, shape, theta0, grads);
        Assert.NotEqual(theta0.Select(x => (double)x), fused);
        AssertClose(reference, fused);
    }

    [Fact]
    public void CellsOfAPack_MustShareTheirSchedule()
    {
        var a = OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3) with { Schedule = new LrSchedule(ScheduleKind.Cosine, Epochs: 10) };
        var e = Assert.Throws<ArgumentException>(() => OptimizerFactory.Create([a, a with { Schedule = null }], Shape, CPU));
        Assert.Contains("share one learning-rate schedule", e.Message);
    }

    private static double[] Run(OptimizerSettings cell, StepPath path) => Run([cell], path);

    private static double[] Run(OptimizerSettings[] cells, StepPath path) => Run(cells, path, Shape, Theta0, Grads);

    private static double[] Run(OptimizerSettings[] cells, StepPath path, MlpShape shape, float[] theta0, float[][] grads)
    {
        using var kernels = new KernelMode(path);
        using var scope = NewDisposeScope();
        int p = cells.Length;
        using var theta = new LayeredTensor(shape, tensor(theta0).unsqueeze(0).expand(p, theta0.Length).clone());
        using var optimizer = OptimizerFactory.Create(cells, shape, CPU, wholePack: path == StepPath.WholePack);
        foreach (var (g, epoch) in grads.Select((g, i) => (g, i + 1)))
        {
            optimizer.BeginEpoch(epoch);   // an epoch a step: a no-op without a schedule
            using var grad = new LayeredTensor(shape, tensor(g).unsqueeze(0).expand(p, g.Length).clone());
            optimizer.Step(theta, grad);
        }
        Assert.Equal(grads.Length, optimizer.Steps);
        return theta.Flat.flatten().data<float>().Select(x => (double)x).ToArray();
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) <= 1e-5 * Math.Max(1, Math.Abs(expected[j])),
                $"element {j}: expected {expected[j]}, got {actual[j]}");
    }

    /// <summary>The three ways a step is computed: fused CPU kernels, libtorch per cell, libtorch for the whole pack
    /// at once (a GPU's way, <c>CellColumns</c>). Each must match the hand-computed values.</summary>
    public enum StepPath { Fused, PerCell, WholePack }

    /// <summary>Pins the fused CPU kernels on or off for one test.</summary>
    private sealed class KernelMode : IDisposable
    {
        private static readonly object Gate = new();
        public KernelMode(StepPath path) { Monitor.Enter(Gate); CpuKernels.Enabled = path == StepPath.Fused; }
        public void Dispose() { CpuKernels.Enabled = true; Monitor.Exit(Gate); }
    }
}
