using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Estimators;

/// <summary>Each estimator's update against SPEC §3's formula, computed independently: per-example loops,
/// explicit matrix-vector products and autograd for δ_i and x_i (no TangentPass, no PackLinear).</summary>
public class EstimatorFormulaTests
{
    private static readonly MlpShape Shape = new(Inputs: 5, Width: 6, Depth: 2, Classes: 3);
    private const int Batch = 4;
    private const long Seed = 42;
    private static readonly Scalar Nan = float.NaN.ToScalar();

    public EstimatorFormulaTests() => TinyNets.Init();

    [Theory]
    [InlineData(EstimatorKind.ActivationPerturbation, 1, true)]
    [InlineData(EstimatorKind.MaskedPerturbation, 1, true)]
    [InlineData(EstimatorKind.MaskedPerturbation, 2, false)]
    [InlineData(EstimatorKind.MaskedPerturbation, 1, true, true)]
    [InlineData(EstimatorKind.WTranspose, 1, true)]
    [InlineData(EstimatorKind.Downstream, 1, true)]
    [InlineData(EstimatorKind.ActivationMixing, 1, true)]
    [InlineData(EstimatorKind.ActivationPerturbation, 2, false)]
    [InlineData(EstimatorKind.Downstream, 3, true)]
    [InlineData(EstimatorKind.ActivationMixing, 2, false)]
    // Normalisation against each method's default.
    [InlineData(EstimatorKind.ActivationPerturbation, 1, true, true)]
    [InlineData(EstimatorKind.WTranspose, 2, true, true)]
    [InlineData(EstimatorKind.Downstream, 1, true, false)]
    [InlineData(EstimatorKind.ActivationMixing, 1, false, false)]
    public void ActivationMethod_UpdateEqualsFormula(EstimatorKind kind, int guessCount, bool onePass, bool? normalise = null)
    {
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        using var model = TinyNets.Model(Shape, 7);
        var (x, y) = TinyNets.Batch(Shape, Batch, 8);
        var settings = new EstimatorSettings(kind, Guesses: guessCount, OnePass: onePass, Normalise: normalise);
        using var actual = Estimate(model, x, y, settings);

        // Independent reference.
        var (w, b) = TinyNets.Leaves(model, 0);
        var (s, loss) = TinyNets.AutogradForward(w, b, x, y);
        var delta = autograd.grad([loss], s);                                        // δ_i [B, n_i]
        var inputs = new Tensor[Shape.Layers];
        inputs[0] = x;
        for (int i = 1; i < Shape.Layers; i++) inputs[i] = s[i - 1].detach().relu();
        var streams = new GuessStreams([Seed], CPU);
        var gw = Enumerable.Range(0, Shape.Layers).Select(i => zeros(Shape.OutSize(i), Shape.InSize(i))).ToArray();
        var gb = Enumerable.Range(0, Shape.Layers).Select(i => zeros(Shape.OutSize(i))).ToArray();
        // SPEC §3's defaults, written out rather than read from the settings under test.
        bool normalised = normalise ?? kind is EstimatorKind.Downstream or EstimatorKind.ActivationMixing;
        for (int k = 0; k < guessCount; k++)
        {
            var guesses = new Tensor[Shape.Layers];
            for (int i = 0; i < Shape.Layers; i++)
                guesses[i] = ReferenceGuess(kind, i, streams, w, s, inputs, normalised);
            var dAll = zeros(Batch);
            for (int i = 0; i < Shape.Layers; i++) dAll.add_(delta[i].mul(guesses[i]).sum(1), Scalars.One);   // d_b = Σ_i δ_{i,b}·ŝ_{i,b}
            for (int i = 0; i < Shape.Layers; i++)
            {
                // One pass per layer: d_b sees only that layer's guess.
                var d = onePass ? dAll : delta[i].mul(guesses[i]).sum(1);
                for (int e = 0; e < Batch; e++)
                {
                    var sHat = guesses[i][e].mul(d[e]);
                    gw[i].add_(outer(sHat, inputs[i][e]), Scalars.One);
                    gb[i].add_(sHat, Scalars.One);
                }
            }
        }
        for (int i = 0; i < Shape.Layers; i++)
        {
            AssertClose(gw[i].div(held[(long)guessCount]), actual.W(i)[0], $"{kind} K={guessCount} onePass={onePass} normalise={normalised} W_{i}");
            AssertClose(gb[i].div(held[(long)guessCount]), actual.B(i)[0], $"{kind} K={guessCount} onePass={onePass} normalise={normalised} b_{i}");
        }
    }

    [Fact]
    public void Directional_UpdateIsDirectionalDerivativeTimesGuess()
    {
        using var scope = NewDisposeScope();
        using var model = TinyNets.Model(Shape, 9);
        var (x, y) = TinyNets.Batch(Shape, Batch, 10);
        using var actual = Estimate(model, x, y, new EstimatorSettings(EstimatorKind.Directional));

        var streams = new GuessStreams([Seed], CPU);
        var epsilon = streams.Normal(Shape.ParameterCount)[0];
        var grad = AutogradGradient(model, x, y);
        var expected = epsilon.mul(grad.dot(epsilon));
        AssertClose(expected, actual.Flat[0], "directional");
    }

    [Fact]
    public void Directional_WithSeveralGuesses_AveragesEachGuessTimesItsDirectionalDerivative()
    {
        // K > 1 takes the general path (K = 1 draws straight into the update buffer); both must follow the formula.
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        using var model = TinyNets.Model(Shape, 9);
        var (x, y) = TinyNets.Batch(Shape, Batch, 10);
        using var actual = Estimate(model, x, y, new EstimatorSettings(EstimatorKind.Directional, Guesses: 3));

        var streams = new GuessStreams([Seed], CPU);
        var grad = AutogradGradient(model, x, y);
        var expected = zeros(Shape.ParameterCount);
        for (int k = 0; k < 3; k++)
        {
            var epsilon = streams.Normal(Shape.ParameterCount)[0];
            expected.add_(epsilon.mul(grad.dot(epsilon)), Scalars.One);
        }
        AssertClose(expected.div(held[3L]), actual.Flat[0], "directional, K = 3");
    }

    [Fact]
    public void Backprop_EqualsAutogradGradient()
    {
        using var scope = NewDisposeScope();
        using var model = TinyNets.Model(new MlpShape(7, 9, 3, 4), 5);
        var (x, y) = TinyNets.Batch(model.Shape, 11, 6);
        using var actual = Estimate(model, x, y, new EstimatorSettings(EstimatorKind.Backprop));
        AssertClose(AutogradGradient(model, x, y), actual.Flat[0], "backprop");
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.5)]
    public void MatchedNoise_HasExactTargetCosine_AndNoiseOrthogonalToGradient(double cosine)
    {
        using var scope = NewDisposeScope();
        using var model = TinyNets.Model(Shape, 3);
        var (x, y) = TinyNets.Batch(Shape, Batch, 4);
        using var actual = Estimate(model, x, y, new EstimatorSettings(EstimatorKind.MatchedNoise, MatchedCosine: cosine));
        var g = AutogradGradient(model, x, y);
        var u = actual.Flat[0];
        double cos = u.dot(g).item<float>() / (u.norm().item<float>() * g.norm().item<float>());
        Assert.Equal(cosine, cos, 4);
        Assert.True(Math.Abs(u.sub(g).dot(g).item<float>()) < 1e-4 * g.dot(g).item<float>(), "noise not orthogonal to g");
    }

    [Fact]
    public void WTransposeGuess_LiesInRangeOfMaskedNextWeightsTransposed()
    {
        using var scope = NewDisposeScope();
        using var model = TinyNets.Model(Shape, 12);
        var (x, _) = TinyNets.Batch(Shape, Batch, 13);
        var fwd = model.Forward(x);
        var streams = new GuessStreams([Seed], CPU);
        var estimator = new WTransposeEstimator(new EstimatorSettings(EstimatorKind.WTranspose));
        var guesses = estimator.DrawGuesses(model, fwd, streams);
        int i = Shape.Layers - 2;                                                    // next layer has 3 < 6 outputs: a proper subspace
        var wNextT = model.Parameters.W(i + 1)[0].t();                               // [n_i, n_{i+1}]
        using var gen = new Generator(99, CPU);
        for (int e = 0; e < Batch; e++)
        {
            var m = wNextT.mul(fwd.Masks[i][0][e].unsqueeze(1));                      // D_i W_{i+1}ᵀ
            Assert.True(Residual(m, guesses[i][0][e]) < 1e-4, $"example {e}: guess outside range(D W^T)");
            var random = randn([Shape.OutSize(i)], generator: gen);
            Assert.True(Residual(m, random) > 1e-2, "a generic vector should not lie in the 3-dim range");
        }
    }

    /// <summary>‖(I − M M⁺) v‖ / ‖v‖: how far v is from range(M).</summary>
    private static double Residual(Tensor m, Tensor v)
    {
        var proj = m.mm(linalg.pinv(m.to_type(ScalarType.Float64)).to_type(ScalarType.Float32)).mv(v);
        return v.sub(proj).norm().item<float>() / Math.Max(v.norm().item<float>(), 1e-12f);
    }

    private static LayeredTensor Estimate(MlpPack model, Tensor x, Tensor y, EstimatorSettings settings)
    {
        var fwd = model.Forward(x);
        // The update buffer holds the last step's values in training; NaN here proves every estimator overwrites it.
        var into = new LayeredTensor(model.Shape, full(model.PackSize, model.Shape.ParameterCount, Nan, ScalarType.Float32));
        var streams = new GuessStreams([Seed], CPU);
        EstimatorFactory.Create(settings).Estimate(model, fwd, LossTerms.LogitGradient(fwd.Logits, y), streams, into);
        return into;
    }

    private static Tensor AutogradGradient(MlpPack model, Tensor x, Tensor y)
    {
        var (w, b) = TinyNets.Leaves(model, 0);
        var (_, loss) = TinyNets.AutogradForward(w, b, x, y);
        var g = autograd.grad([loss], [.. w, .. b]);
        var parts = new List<Tensor>();
        for (int i = 0; i < w.Length; i++) { parts.Add(g[i].flatten()); parts.Add(g[w.Length + i]); }
        return cat(parts, 0);
    }

    /// <summary>ŝ_{i,b} of SPEC §3 for one layer, example by example, from the same seeded draws. Normalisation is for
    /// the hidden layers' structured guesses; the output layer's guess is N(0, I) for every method.</summary>
    private static Tensor ReferenceGuess(EstimatorKind kind, int i, GuessStreams streams, Tensor[] w, Tensor[] s,
        Tensor[] inputs, bool normalise)
    {
        using var held = new HeldScalars();
        bool output = i == Shape.Layers - 1;
        var rows = new Tensor[Batch];
        if (output || kind is EstimatorKind.ActivationPerturbation or EstimatorKind.MaskedPerturbation)
        {
            var eps = streams.Normal(Batch, Shape.OutSize(i))[0];
            for (int e = 0; e < Batch; e++)
                rows[e] = output || kind == EstimatorKind.ActivationPerturbation
                    ? eps[e] : eps[e].mul(s[i][e].detach().gt(held[0L]).to_type(ScalarType.Float32));   // D_i ε
        }
        else if (kind == EstimatorKind.ActivationMixing)
        {
            var a = streams.Normal(Batch, Batch)[0];
            for (int e = 0; e < Batch; e++)
            {
                var mix = zeros(Shape.OutSize(i));
                for (int c = 0; c < Batch; c++) mix.add_(inputs[i + 1][c].mul(a[e][c]), Scalars.One);
                rows[e] = mix.mul(s[i][e].detach().gt(held[0L]).to_type(ScalarType.Float32));
            }
        }
        else
        {
            var eps = streams.Normal(Batch, Shape.OutSize(i + 1))[0];
            for (int e = 0; e < Batch; e++)
            {
                var cot = eps[e];
                if (kind == EstimatorKind.Downstream && i + 1 < Shape.Layers - 1)
                    cot = cot.mul(s[i + 1][e].detach().gt(held[0L]).to_type(ScalarType.Float32));
                rows[e] = w[i + 1].detach().t().mv(cot).mul(s[i][e].detach().gt(held[0L]).to_type(ScalarType.Float32));
            }
        }
        var guess = stack(rows, 0);
        return normalise && !output ? guess.mul(held[Math.Sqrt(Shape.OutSize(i))]).div(guess.norm(1, keepdim: true).clamp_min(held[1e-12])) : guess;
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var err = expected.sub(actual).abs().max().item<float>();
        var scale = expected.abs().max().item<float>();
        Assert.True(err <= 1e-4 * scale + 1e-7, $"{what}: max error {err} (scale {scale})");
    }
}
