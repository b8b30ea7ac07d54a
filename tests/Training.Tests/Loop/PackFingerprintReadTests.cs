using System.Text.Json;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Training.Tests.Loop;

/// <summary>A checkpoint's stored configuration read back as the pack it describes (<c>inspect</c> needs it).</summary>
public class PackFingerprintReadTests
{
    [Fact]
    public void TheStoredConfiguration_ReadsBackAsThePack_WithTheGivenEpochs()
    {
        var spec = new PackSpec(new DataSource("synthetic", SyntheticTrain: 300, SyntheticFeatures: 12), Depth: 2, Width: 16,
            new EstimatorSettings(EstimatorKind.MatchedNoise, Guesses: 3, OnePass: false, Normalise: true, MatchedCosine: 0.05), BatchSize: 64,
            Epochs: 9, DataSeed: 5,
            [new CellSettings(OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3), 5), new CellSettings(new OptimizerSettings(OptimizerKind.Sgd, 0.1, Momentum: 0.9), 6)]);

        var read = PackFingerprint.Read(PackFingerprint.Configuration(spec), epochs: 4);

        Assert.Equal(spec.Data, read.Data);
        Assert.Equal(spec.Estimator, read.Estimator);
        Assert.Equal(spec.Cells, read.Cells);
        Assert.Equal((2, 16, 64, 5, 4), (read.Depth, read.Width, read.BatchSize, read.DataSeed, read.Epochs));
        Assert.Equal(PackFingerprint.Of(spec), PackFingerprint.Of(read));
    }

    /// <summary>The fingerprint hashes each kind by its number, so a kind inserted before others would renumber them and
    /// every checkpoint written before would be refused: a new kind goes at the end (docs/METHODS.md).</summary>
    [Fact]
    public void EachKind_KeepsTheNumberCheckpointsWereFingerprintedWith()
    {
        Assert.Equal([("Backprop", 0), ("Directional", 1), ("ActivationPerturbation", 2), ("WTranspose", 3), ("Downstream", 4),
                ("ActivationMixing", 5), ("MatchedNoise", 6), ("MaskedPerturbation", 7)],
            Enum.GetValues<EstimatorKind>().Select(k => (k.ToString(), (int)k)));
        Assert.Equal([("Sgd", 0), ("AdamW", 1), ("StableAdamW", 2)], Enum.GetValues<OptimizerKind>().Select(k => (k.ToString(), (int)k)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{\"Depth\": 2, \"Width\": 16}")]
    [InlineData("{\"Data\": {\"Set\": \"synthetic\"}, \"Estimator\": {\"Kind\": \"Nonsense\"}, \"Cells\": []}")]
    [InlineData("{\"Data\": {\"Set\": \"synthetic\"}, \"Estimator\": {\"Kind\": \"Backprop\"}, \"Cells\": [null]}")]
    public void AnythingElse_IsRefused(string configuration) =>
        Assert.ThrowsAny<JsonException>(() => PackFingerprint.Read(configuration, 1));
}
