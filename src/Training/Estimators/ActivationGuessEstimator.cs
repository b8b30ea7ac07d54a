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

    /// <remarks>Layer i's input x_{i,b} is the same for every guess, so with K guesses Σ_k Σ_b d_{k,b} ŝ_{k,i,b} x_{i,b}ᵀ
    /// = Σ_b (Σ_k d_{k,b} ŝ_{k,i,b}) x_{i,b}ᵀ: the weighted guesses are summed first and each layer takes one outer-product
    /// GEMM a step, not K (the largest matmul of a guess, layer 0's 784-wide one, done once). K = 1 is unchanged.</remarks>
    public void Estimate(MlpPack model, ForwardCache fwd, Tensor logitGradient, GuessStreams guesses, LayeredTensor into)
    {
        int layers = model.Shape.Layers;
        var weighted = new Tensor[layers];                                        // Σ_k d_{k,b} ŝ_{k,i,b}, [P, B, n_i]
        for (int k = 0; k < Settings.Guesses; k++)
        {
            var s = DrawGuesses(model, fwd, guesses);
            if (Settings.OnePass)
            {
                var d = TangentPass.PerExample(model, fwd, logitGradient, null, s).unsqueeze(-1);   // [P, B, 1]
                for (int i = 0; i < layers; i++) Weigh(weighted, i, s[i], d);
            }
            else
            {
                for (int i = 0; i < layers; i++)
                {
                    var only = new Tensor?[layers];
                    only[i] = s[i];
                    var d = TangentPass.PerExample(model, fwd, logitGradient, null, only).unsqueeze(-1);
                    Weigh(weighted, i, s[i], d);
                }
            }
        }
        for (int i = 0; i < layers; i++)
        {
            // The GEMM writes into the update buffer itself: no zeroing pass and no [P, n_i, n_{i-1}] temporary per step.
            PackLinear.OuterSumInto(weighted[i], fwd.Inputs[i], into.W(i));
            into.B(i).copy_(weighted[i].sum(1));
        }
        if (Settings.Guesses > 1)
        {
            using var k = new HeldScalars();
            into.Flat.div_(k[Settings.Guesses]);
        }
    }

    /// <summary>Adds d_b ŝ_{i,b} to layer i's sum; the first guess's product becomes the sum (the guess is not needed
    /// after this, so it is weighted in place).</summary>
    private static void Weigh(Tensor[] weighted, int i, Tensor guess, Tensor d)
    {
        var g = guess.mul_(d);
        if (weighted[i] is null) weighted[i] = g;
        else weighted[i].add_(g, Scalars.One);
    }

    public double FlopsPerExample(MlpShape shape, long batchSize)
    {
        double tangent = Settings.OnePass
            ? FlopCount.Propagate(shape)
            : Enumerable.Range(0, shape.Layers).Sum(i =>
                Enumerable.Range(i + 1, shape.Layers - i - 1).Sum(j => 2.0 * shape.OutSize(j) * shape.InSize(j)));
        // One outer product a step whatever K (see Estimate).
        return FlopCount.Forward(shape) + Settings.Guesses * (GuessFlops(shape, batchSize) + tangent) + FlopCount.Outer(shape);
    }

    /// <summary>Rescales each example's guess to norm √n_i (all-zero rows stay zero).</summary>
    private static Tensor Normalise(Tensor s)
    {
        using var held = new HeldScalars();
        double target = Math.Sqrt(s.shape[^1]);
        return s.mul(s.norm(-1, keepdim: true).clamp_min(held[1e-12]).reciprocal_().mul_(held[target]));
    }
}
