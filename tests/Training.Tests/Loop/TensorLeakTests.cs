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
        using var trainer = Trainer(method, optimizer);
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

    /// <summary>
    /// A tensor made outside every dispose scope is held only by the code that made it, and a temporary (the result of
    /// one call handed straight to the next) is unreachable once its handle is passed: a GC during that native call
    /// runs its finalizer under libtorch. A probe outside any scope crashed within seconds with a collecting thread.
    /// Training, evaluation and checkpoints make every tensor inside a scope.
    /// </summary>
    [Theory]
    [InlineData(EstimatorKind.Backprop, OptimizerKind.AdamW)]
    [InlineData(EstimatorKind.Directional, OptimizerKind.Sgd)]
    [InlineData(EstimatorKind.ActivationPerturbation, OptimizerKind.StableAdamW)]
    [InlineData(EstimatorKind.WTranspose, OptimizerKind.AdamW)]
    [InlineData(EstimatorKind.Downstream, OptimizerKind.Sgd)]
    [InlineData(EstimatorKind.ActivationMixing, OptimizerKind.StableAdamW)]
    [InlineData(EstimatorKind.MatchedNoise, OptimizerKind.AdamW)]
    public void Epochs_make_every_tensor_inside_a_dispose_scope(EstimatorKind method, OptimizerKind optimizer)
    {
        using var trainer = Trainer(method, optimizer);
        var path = Path.Combine(_dir, "scope.ckpt");
        long before = DisposeScopeManager.Statistics.CreatedOutsideScopeCount;
        for (int e = 0; e < 2; e++)
        {
            trainer.RunEpoch(CancellationToken.None);
            trainer.SaveCheckpoint(path);
        }
        trainer.LoadCheckpoint(path);
        long outside = DisposeScopeManager.Statistics.CreatedOutsideScopeCount - before;
        Assert.True(outside == 0, $"{outside} tensors were made outside any dispose scope");
    }

    /// <summary>Two cells, every diagnostic on, so each code path of an epoch runs.</summary>
    private PackTrainer Trainer(EstimatorKind method, OptimizerKind optimizer)
    {
        TinyNets.Init();
        var spec = new PackSpec(new DataSource("synthetic"), 2, 8, new EstimatorSettings(method), 32, 6, 1,
            [new CellSettings(OptimizerSettings.Default(optimizer, 1e-3), 1), new CellSettings(OptimizerSettings.Default(optimizer, 1e-2), 2)],
            EvaluateEvery: 1, CosineEvery: 2, EffectiveRank: true);
        return new PackTrainer(spec, _data, CPU);
    }

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
