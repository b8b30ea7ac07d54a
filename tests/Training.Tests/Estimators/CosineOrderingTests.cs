using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Diagnostics;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Estimators;

/// <summary>The study's central measurement on real data: on one fixed batch of a partly trained Fashion-MNIST
/// MLP (3×128), structure-aware guesses align with the true gradient better than activation perturbation, and that
/// better than weight perturbation; masking activation perturbation's guess with the ReLU's does better than it.</summary>
[Trait("Category", "RealData")]
public class CosineOrderingTests
{
    private const int Draws = 16;

    public CosineOrderingTests() => TinyNets.Init();

    [Fact]
    public void OnPartlyTrainedFashionMnist_MeanCosineOrdersTheMethods()
    {
        using var scope = NewDisposeScope();
        using var data = DatasetLoader.Load(new DataSource("fashion-mnist"), CPU);
        var spec = new PackSpec(new DataSource("fashion-mnist"), Depth: 3, Width: 128, new EstimatorSettings(EstimatorKind.Backprop),
            BatchSize: 512, Epochs: 2, DataSeed: 0, [new CellSettings(OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3), 0)],
            EvaluateEvery: 100);
        using var trainer = new PackTrainer(spec, data, CPU);
        trainer.RunEpoch(CancellationToken.None);                                     // partly trained: one epoch of backprop

        var shape = trainer.Shape;
        using var model = new MlpPack(shape, trainer.Model.Parameters.Flat.expand(Draws, shape.ParameterCount).clone());
        var x = data.TrainX.narrow(0, 0, 512);
        var y = data.TrainY.narrow(0, 0, 512);
        var fwd = model.Forward(x);
        var logitGradient = LossTerms.LogitGradient(fwd.Logits, y);
        using var truth = LayeredTensor.Zeros(shape, Draws, CPU);
        Backprop.Gradient(model, fwd, logitGradient, truth);

        double Mean(EstimatorKind kind)
        {
            var streams = new GuessStreams(Enumerable.Range(0, Draws).Select(i => (long)i + 1000).ToArray(), CPU);
            using var update = LayeredTensor.Zeros(shape, Draws, CPU);
            EstimatorFactory.Create(new EstimatorSettings(kind)).Estimate(model, fwd, logitGradient, streams, update);
            return CosineSimilarity.Compute(update, truth).Overall.mean().item<float>();
        }

        var cos = new[] { EstimatorKind.WTranspose, EstimatorKind.Downstream, EstimatorKind.ActivationMixing,
                EstimatorKind.MaskedPerturbation, EstimatorKind.ActivationPerturbation, EstimatorKind.Directional }
            .ToDictionary(k => k, Mean);
        var report = string.Join(", ", cos.Select(kv => $"{EstimatorNames.Name(kv.Key)} {kv.Value:F4}"));
        foreach (var structured in new[] { EstimatorKind.WTranspose, EstimatorKind.Downstream, EstimatorKind.ActivationMixing })
            Assert.True(cos[structured] > cos[EstimatorKind.ActivationPerturbation], report);
        Assert.True(cos[EstimatorKind.ActivationPerturbation] > cos[EstimatorKind.Directional], report);
        // The ReLU mask alone: the same N(0, I) guess on the active units only searches fewer dimensions that hold δ_i.
        Assert.True(cos[EstimatorKind.MaskedPerturbation] > cos[EstimatorKind.ActivationPerturbation], report);
        Assert.True(cos[EstimatorKind.Directional] > 0, report);
    }
}
