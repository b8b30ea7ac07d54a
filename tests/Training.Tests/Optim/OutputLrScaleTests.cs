using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Training.Tests.Optim;

/// <summary>The output layer's own learning rate as a setting: how it is stored, hashed and refused. (Its steps are checked
/// against hand-computed values in <see cref="OptimizerStepTests"/>.)</summary>
public class OutputLrScaleTests
{
    private static PackSpec Pack(OptimizerSettings optimizer) => new(new DataSource("synthetic"), Depth: 2, Width: 16,
        new EstimatorSettings(EstimatorKind.Downstream), BatchSize: 64, Epochs: 3, DataSeed: 5, [new CellSettings(optimizer, 5)]);

    private static readonly OptimizerSettings Plain = OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3);

    [Fact]
    public void AScaleOfOne_IsNoScale_AndLeavesTheFingerprintOfAPackWithout()
    {
        var one = Plain with { OutputLrScale = 1.0 };
        Assert.Null(one.OutputLrScale);
        Assert.Equal(Plain, one);
        Assert.Null(new OptimizerSettings(OptimizerKind.Sgd, 0.1, OutputLrScale: 1.0).OutputLrScale);
        // Checkpoints written before the setting existed hash a configuration without it: theirs must still match.
        Assert.DoesNotContain(nameof(OptimizerSettings.OutputLrScale), PackFingerprint.Configuration(Pack(one)));
        Assert.Equal(PackFingerprint.Of(Pack(Plain)), PackFingerprint.Of(Pack(one)));
        Assert.Equal(1e-3, one.OutputLearningRate());
    }

    [Fact]
    public void AScale_ChangesTheFingerprint_AndReadsBackFromTheStoredConfiguration()
    {
        var scaled = Pack(Plain with { OutputLrScale = 0.4 });
        Assert.NotEqual(PackFingerprint.Of(Pack(Plain)), PackFingerprint.Of(scaled));
        var read = PackFingerprint.Read(PackFingerprint.Configuration(scaled), epochs: 3);
        Assert.Equal(0.4, read.Cells[0].Optimizer.OutputLrScale);
        Assert.Equal(PackFingerprint.Of(scaled), PackFingerprint.Of(read));
        var difference = Assert.Single(PackFingerprint.Compare(PackFingerprint.Configuration(Pack(Plain)), PackFingerprint.Configuration(scaled)));
        Assert.Equal(("Cells[0].Optimizer.OutputLrScale", "none", "0.4"), (difference.Path, difference.Stored, difference.Now));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ABadScale_IsRefused(double scale)
    {
        var e = Assert.Throws<InvalidSettingException>((Plain with { OutputLrScale = scale }).Validate);
        Assert.Equal("output lr scale", e.Setting);
        Assert.Contains("finite number > 0", e.Problem);
    }

    [Theory]
    [InlineData(1e-30, 1e-20, "0 in float32")]
    [InlineData(1e30, 1e20, "infinite in float32")]
    public void AScaleThatTakesTheOutputLayersRateOutOfFloat32_IsRefused(double lr, double scale, string problem)
    {
        var e = Assert.Throws<InvalidSettingException>((OptimizerSettings.Default(OptimizerKind.Sgd, lr) with { OutputLrScale = scale }).Validate);
        Assert.Equal("output lr scale", e.Setting);
        Assert.Contains(problem, e.Problem);
    }
}
