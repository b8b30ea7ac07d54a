using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// The activation-space methods: per example and layer a guess ŝ_{i,b} for ∂L/∂s_i is injected as a tangent of
/// s_i; the JVP gives d_b; the update is ĝ_{W_i} = Σ_b d_b ŝ_{i,b} x_{i,b}ᵀ, ĝ_{b_i} = Σ_b d_b ŝ_{i,b}.
/// Subclasses say how hidden-layer guesses are drawn; the output layer always gets ŝ ~ N(0, I).
/// With one pass (the default) all layers are injected together, so d_b = Σ_i δ_{i,b}·ŝ_{i,b}.
/// </summary>
public abstract class ActivationGuessEstimator(EstimatorSettings settings) : IGradientEstimator
{
    protected EstimatorSettings Settings { get; } = settings;

    public abstract EstimatorKind Kind { get; }

    /// <summary>The guess for hidden layer i (i &lt; L−1), before normalisation: [P, B, n_i].</summary>
    protected abstract Tensor HiddenGuess(int i, MlpPack model, ForwardCache fwd, GuessStreams guesses);

    /// <summary>Extra matmul FLOPs per example to draw the hidden-layer guesses of one step.</summary>
    protected virtual double GuessFlops(MlpShape shape, long batchSize) => 0;

    /// <summary>All layers' guesses for one step, drawn layer by layer in order (part of the seeded stream).</summary>
    public Tensor[] DrawGuesses(MlpPack model, ForwardCache fwd, GuessStreams guesses)
    {
        int layers = model.Shape.Layers;
        var s = new Tensor[layers];
        for (int i = 0; i < layers; i++)
        {
            if (i < layers - 1)
            {
                s[i] = HiddenGuess(i, model, fwd, guesses);
                if (Settings.NormaliseEffective) s[i] = Normalise(s[i]);
            }
            else s[i] = guesses.Normal(fwd.BatchSize, model.Shape.Classes);   // N(0, I), never normalised
        }
        return s;
    }

    public void Estimate(MlpPack model, ForwardCache fwd, Tensor logitGradient, GuessStreams guesses, LayeredTensor into)
    {
        int layers = model.Shape.Layers;
        for (int k = 0; k < Settings.Guesses; k++)
        {
            var s = DrawGuesses(model, fwd, guesses);
            bool first = k == 0;                                                     // the first guess overwrites `into`
            if (Settings.OnePass)
            {
                var d = TangentPass.PerExample(model, fwd, logitGradient, null, s).unsqueeze(-1);   // [P, B, 1]
                for (int i = 0; i < layers; i++) Accumulate(i, d, s[i], fwd, into, first);
            }
            else
            {
                for (int i = 0; i < layers; i++)
                {
                    var only = new Tensor?[layers];
                    only[i] = s[i];
                    var d = TangentPass.PerExample(model, fwd, logitGradient, null, only).unsqueeze(-1);
                    Accumulate(i, d, s[i], fwd, into, first);
                }
            }
        }
        if (Settings.Guesses > 1)
        {
            using var k = new HeldScalars();
            into.Flat.div_(k[Settings.Guesses]);
        }
    }

    public double FlopsPerExample(MlpShape shape, long batchSize)
    {
        double tangent = Settings.OnePass
            ? FlopCount.Propagate(shape)
            : Enumerable.Range(0, shape.Layers).Sum(i =>
                Enumerable.Range(i + 1, shape.Layers - i - 1).Sum(j => 2.0 * shape.OutSize(j) * shape.InSize(j)));
        return FlopCount.Forward(shape) + Settings.Guesses * (GuessFlops(shape, batchSize) + tangent + FlopCount.Outer(shape));
    }

    /// <summary>Adds layer i's update to <paramref name="into"/>, or overwrites it when <paramref name="first"/>. The
    /// GEMM writes into the update buffer itself: no zeroing pass and no [P, n_i, n_{i-1}] temporary per step.</summary>
    private static void Accumulate(int i, Tensor d, Tensor guess, ForwardCache fwd, LayeredTensor into, bool first)
    {
        var g = guess.mul_(d);                                   // d_b ŝ_{i,b} [P, B, n_i]; the guess is not needed after this
        PackLinear.OuterSumInto(g, fwd.Inputs[i], into.W(i), accumulate: !first);
        if (first) into.B(i).copy_(g.sum(1));
        else into.B(i).add_(g.sum(1), Scalars.One);
    }

    /// <summary>Rescales each example's guess to norm √n_i (all-zero rows stay zero).</summary>
    private static Tensor Normalise(Tensor s)
    {
        using var held = new HeldScalars();
        double target = Math.Sqrt(s.shape[^1]);
        return s.mul(s.norm(-1, keepdim: true).clamp_min(held[1e-12]).reciprocal_().mul_(held[target]));
    }
}
