using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Estimators;

/// <summary>The start that trains nothing (<see cref="OriginStall"/>): unnormalised W^T or downstream with one pass per layer
/// near the origin under AdamW leaves the hidden weights to the decay alone, a normalised guess moves them; the rule fits
/// what was measured.</summary>
public sealed class OriginStallTests
{
    private const double Lr = 1e-3, Decay = 0.01;
    private const int Depth = 3, Steps = 3 * 4;   // 3 epochs of 256 examples in batches of 64

    private static PackSpec Pack(bool? normalise, bool onePass = false, double epsilon = 1e-8, EstimatorKind kind = EstimatorKind.WTranspose) =>
        new(new DataSource("synthetic"), Depth, Width: 32, new EstimatorSettings(kind, OnePass: onePass, Normalise: normalise), BatchSize: 64, Epochs: 3, DataSeed: 5,
        [new CellSettings(OptimizerSettings.Default(OptimizerKind.AdamW, Lr) with { Epsilon = epsilon }, 1)], InitScale: 0.01);

    /// <summary>Each hidden layer's weights after training, less what the decay alone leaves of the start, against the start.</summary>
    private static double[] HiddenMoves(PackSpec spec)
    {
        TinyNets.Init();
        using var scope = NewDisposeScope();
        using var trainer = new PackTrainer(spec, TinyNets.Data(features: 12, train: 256, test: 64), CPU);
        var start = Enumerable.Range(0, Depth).Select(i => trainer.Model.Parameters.W(i).clone()).ToArray();
        while (!trainer.IsFinished) trainer.RunEpoch(CancellationToken.None);
        using var s = new HeldScalars();
        var decayed = Math.Pow(1 - Lr * Decay, Steps);
        return [.. Enumerable.Range(0, Depth).Select(i =>
            (double)(trainer.Model.Parameters.W(i).sub(start[i].mul(s[decayed])).norm().item<float>() / start[i].norm().item<float>()))];
    }

    [Theory]
    [InlineData(EstimatorKind.WTranspose)]
    [InlineData(EstimatorKind.Downstream)]
    public void UnnormalisedPerLayerGuesses_NearTheOrigin_LeaveTheHiddenWeightsToTheDecay_WhereANormalisedGuessMovesThem(EstimatorKind kind)
    {
        var stalled = HiddenMoves(Pack(normalise: false, kind: kind));
        var moved = HiddenMoves(Pack(normalise: true, kind: kind));
        var smallEpsilon = HiddenMoves(Pack(normalise: false, epsilon: 1e-18, kind: kind));
        // The last hidden layer's guess is sized by the output layer, which trains: it creeps (2 % here); below it nothing moves.
        Assert.All(stalled[..^1], m => Assert.True(m < 1e-3, $"an unnormalised hidden layer moved by {m:g3} of its start: [{string.Join(", ", stalled)}]"));
        Assert.All(moved, m => Assert.True(m > 0.1, $"a normalised hidden layer moved by {m:g3} only: [{string.Join(", ", moved)}]"));
        Assert.All(smallEpsilon, m => Assert.True(m > 0.1, $"with epsilon 1e-18 a hidden layer moved by {m:g3} only: [{string.Join(", ", smallEpsilon)}]"));
        var (plain, adamw) = (Pack(false, kind: kind).Estimator, Pack(false).Cells[0].Optimizer);
        Assert.True(OriginStall.Risks(plain, adamw, Depth, 0.01));
        Assert.False(OriginStall.Risks(plain with { Normalise = true }, adamw, Depth, 0.01));
        Assert.False(OriginStall.Risks(plain, Pack(false, epsilon: 1e-18).Cells[0].Optimizer, Depth, 0.01));
    }

    // Measured on Fashion-MNIST (width 128, AdamW 1e-3, 8 epochs, unnormalised): stalls at the first scale, trains at the second.
    [Theory]
    [InlineData(EstimatorKind.WTranspose, 2, 5e-4, 2e-3)]
    [InlineData(EstimatorKind.WTranspose, 3, 0.03, 0.04)]
    [InlineData(EstimatorKind.WTranspose, 4, 0.05, 0.1)]
    [InlineData(EstimatorKind.Downstream, 3, 0.03, 0.04)]
    [InlineData(EstimatorKind.ActivationMixing, 3, 0.01, 0.04)]   // 0.03 trains too, and is warned of
    public void TheRule_WarnsOfEachMeasuredStall_AndNotOfTheScaleThatTrained(EstimatorKind kind, int depth, double stalls, double trains)
    {
        var (guess, adamw) = (new EstimatorSettings(kind, OnePass: false, Normalise: false), OptimizerSettings.Default(OptimizerKind.AdamW, Lr));
        Assert.True(OriginStall.Risks(guess, adamw, depth, stalls));
        Assert.False(OriginStall.Risks(guess, adamw, depth, trains));
    }

    [Fact]
    public void TheRule_LeavesOtherSettingsAlone()
    {
        var (wt, adamw) = (Pack(null).Estimator, OptimizerSettings.Default(OptimizerKind.AdamW, Lr));
        Assert.True(OriginStall.Risks(wt, OptimizerSettings.Default(OptimizerKind.StableAdamW, Lr), Depth, 0.01));
        Assert.False(OriginStall.Risks(wt with { OnePass = true }, adamw, Depth, 0.01));          // the output layer's term moves them
        Assert.False(OriginStall.Risks(wt with { Kind = EstimatorKind.Downstream }, adamw, Depth, 0.01));   // normalised by default
        Assert.False(OriginStall.Risks(wt with { Kind = EstimatorKind.ActivationPerturbation }, adamw, Depth, 0.01));   // N(0, I) guesses
        Assert.False(OriginStall.Risks(wt, OptimizerSettings.Default(OptimizerKind.Sgd, Lr), Depth, 0.01)); // no epsilon
        Assert.False(OriginStall.Risks(wt, adamw, depth: 1, 1e-6));   // one hidden layer, sized by the output layer
        Assert.False(OriginStall.Risks(wt, adamw, Depth, initScale: null));
        // Activation mixing's guess is smaller still: an ε that trains the others leaves it at chance.
        var mixing = wt with { Kind = EstimatorKind.ActivationMixing, Normalise = false };
        Assert.False(OriginStall.Risks(wt, adamw with { Epsilon = 1e-12 }, Depth, 0.01));
        Assert.True(OriginStall.Risks(mixing, adamw with { Epsilon = 1e-12 }, Depth, 0.01));
        Assert.False(OriginStall.Risks(mixing, adamw with { Epsilon = 1e-18 }, Depth, 0.01));
    }
}
