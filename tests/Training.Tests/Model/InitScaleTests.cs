using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Model;

/// <summary>The initialisation's scale: the same draws times the scale, cell by cell and inside a trainer; 1 is no scale
/// (the fingerprint of a pack without it is unchanged); a scale is hashed, read back, said in a mismatch, and bounded.</summary>
public sealed class InitScaleTests
{
    private static readonly MlpShape Shape = new(Inputs: 12, Width: 16, Depth: 2, Classes: 10);

    private static PackSpec Pack(double? initScale, params long[] seeds) => new(new DataSource("synthetic"), Depth: 2, Width: 16,
        new EstimatorSettings(EstimatorKind.WTranspose), BatchSize: 64, Epochs: 2, DataSeed: 5,
        [.. seeds.Select(s => new CellSettings(OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3), (int)s))], InitScale: initScale);

    [Fact]
    public void AScaledPack_StartsFromTheDefaultDrawsTimesTheScale_CellByCell()
    {
        using var scope = NewDisposeScope();
        long[] seeds = [3, 8];
        var plain = WeightInit.Pack(Shape, seeds, CPU);
        var scaled = WeightInit.Pack(Shape, seeds, CPU, 0.1);
        using var s = new HeldScalars();
        Assert.True(scaled.allclose(plain.mul(s[0.1]), rtol: 1e-6, atol: 1e-8), "the scaled weights are not the default draws times 0.1");
        Assert.False(Tensors.Same(plain, scaled));
        Assert.True(Tensors.Same(plain, WeightInit.Pack(Shape, seeds, CPU, 1.0)), "a scale of 1 changed the draws");
        // A cell starts alike alone and inside a pack.
        Assert.True(Tensors.Same(scaled[1], WeightInit.Pack(Shape, [8], CPU, 0.1)[0]));
    }

    [Fact]
    public void ATrainer_StartsItsCellsFromTheScaledWeights()
    {
        TinyNets.Init();
        var data = TinyNets.Data(features: 12, train: 256, test: 64);
        using var plain = new PackTrainer(Pack(null, 1, 2), data, CPU);
        using var scaled = new PackTrainer(Pack(0.25, 1, 2), data, CPU);
        using var s = new HeldScalars();
        Assert.True(scaled.Model.Parameters.Flat.allclose(plain.Model.Parameters.Flat.mul(s[0.25]), rtol: 1e-6, atol: 1e-8));
    }

    [Fact]
    public void AScaleOfOne_IsNoScale_AndLeavesTheFingerprintOfAPackWithout()
    {
        var one = Pack(1.0, 1);
        Assert.Null(one.InitScale);
        Assert.Equal(Pack(null, 1).InitScale, one.InitScale);
        // Checkpoints written before the setting existed hash a configuration without it: theirs must still match.
        Assert.DoesNotContain(nameof(PackSpec.InitScale), PackFingerprint.Configuration(one));
        Assert.Equal(PackFingerprint.Of(Pack(null, 1)), PackFingerprint.Of(one));
    }

    [Fact]
    public void AScale_ChangesTheFingerprint_ReadsBack_AndIsNamedInAMismatch()
    {
        var scaled = Pack(0.1, 1);
        Assert.NotEqual(PackFingerprint.Of(Pack(null, 1)), PackFingerprint.Of(scaled));
        var read = PackFingerprint.Read(PackFingerprint.Configuration(scaled), epochs: 2);
        Assert.Equal(0.1, read.InitScale);
        Assert.Equal(PackFingerprint.Of(scaled), PackFingerprint.Of(read));
        Assert.Null(PackFingerprint.Read(PackFingerprint.Configuration(Pack(null, 1)), epochs: 2).InitScale);
        var difference = Assert.Single(PackFingerprint.Compare(PackFingerprint.Configuration(Pack(null, 1)), PackFingerprint.Configuration(scaled)));
        Assert.Equal(("InitScale", "none", "0.1"), (difference.Path, difference.Stored, difference.Now));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(9e-7)]
    [InlineData(1000.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void AScaleOutOfRange_IsRefused(double scale)
    {
        var e = Assert.Throws<InvalidSettingException>(() => PackSpecChecks.Validate(Pack(scale, 1)));
        Assert.Equal("init scale", e.Setting);
        Assert.StartsWith("must be from 1e-6 to 1000, got ", e.Problem);
    }

    [Theory]
    [InlineData(PackSpec.MinInitScale)]
    [InlineData(PackSpec.MaxInitScale)]
    public void TheRangesEnds_AreTaken(double scale) => PackSpecChecks.Validate(Pack(scale, 1));
}
