using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Loop;

/// <summary>Native memory stays flat: after the first epoch, further epochs, evaluations and checkpoints leave no
/// live tensors behind (counted by TorchSharp's per-thread dispose statistics).</summary>
public sealed class TensorLeakTests : IDisposable
{
    private readonly Dataset _data = TinyNets.Data(features: 10, train: 300, test: 100);
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-leak-").FullName;

    [Theory]
    [InlineData(EstimatorKind.ActivationMixing, OptimizerKind.StableAdamW)]
    [InlineData(EstimatorKind.Directional, OptimizerKind.Sgd)]
    [InlineData(EstimatorKind.MatchedNoise, OptimizerKind.AdamW)]
    public void EpochsAfterTheFirst_LeaveNoLiveTensors(EstimatorKind method, OptimizerKind optimizer)
    {
        TinyNets.Init();
        var spec = new PackSpec(new DataSource("synthetic"), 2, 8, new EstimatorSettings(method), 32, 6, 1,
            [new CellSettings(OptimizerSettings.Default(optimizer, 1e-3), 1), new CellSettings(OptimizerSettings.Default(optimizer, 1e-2), 2)],
            EvaluateEvery: 1, CosineEvery: 2, EffectiveRank: true);
        using var trainer = new PackTrainer(spec, _data, CPU);
        var path = Path.Combine(_dir, "leak.ckpt");
        trainer.RunEpoch(CancellationToken.None);
        trainer.SaveCheckpoint(path);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int e = 0; e < 3; e++)
        {
            trainer.RunEpoch(CancellationToken.None);
            trainer.SaveCheckpoint(path);
        }
        trainer.LoadCheckpoint(path);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(after <= before, $"live tensors grew from {before} to {after}");
    }

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
