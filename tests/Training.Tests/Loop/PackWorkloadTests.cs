using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Loop;

/// <summary>A plan's figures against what a real trainer does: the steps it takes, the epochs it evaluates, the
/// cosine samples it draws and the checkpoint file it writes.</summary>
public sealed class PackWorkloadTests : IDisposable
{
    private readonly Dataset _data;
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-workload-").FullName;

    public PackWorkloadTests()
    {
        TinyNets.Init();
        _data = TinyNets.Data(features: 40, train: 300, test: 100);
    }

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private DataShape Shape => new(_data.TrainCount, _data.TestCount, _data.Features, _data.Classes);

    private static PackSpec Spec(OptimizerKind optimizer, int cells, int epochs = 3, int evaluateEvery = 2, int cosineEvery = 4,
        int width = 16) => new(
        new DataSource("synthetic"), Depth: 2, Width: width, new EstimatorSettings(EstimatorKind.WTranspose), BatchSize: 64, Epochs: epochs,
        DataSeed: 5, Enumerable.Range(0, cells).Select(c => new CellSettings(OptimizerSettings.Default(optimizer, 1e-3), c)).ToArray(),
        EvaluateEvery: evaluateEvery, CosineEvery: cosineEvery);

    [Theory]
    [InlineData(3, 2, 4)]     // 5 steps an epoch (300 / 64, the last batch short): steps 0, 4, 8, 12 sampled
    [InlineData(4, 4, 7)]
    [InlineData(2, 5, 0)]     // evaluateEvery beyond the last epoch: the last one alone; cosine off
    public void StepsEvaluationsAndCosineSamples_AreWhatTheTrainerDoes(int epochs, int evaluateEvery, int cosineEvery)
    {
        var spec = Spec(OptimizerKind.Sgd, cells: 2, epochs, evaluateEvery, cosineEvery);
        using var trainer = new PackTrainer(spec, _data, CPU);
        int steps = 0, cosines = 0, evaluations = 0;
        trainer.PhaseMark = phase =>
        {
            if (phase == StepPhase.Optimizer) steps++;
            if (phase == StepPhase.Diagnostics) cosines++;
        };
        while (!trainer.IsFinished)
            if (trainer.RunEpoch(CancellationToken.None)[0]!.TrainAccuracy is not null) evaluations++;

        var workload = new PackWorkload(spec, Shape);
        Assert.Equal(5, workload.StepsPerEpoch);
        Assert.Equal(steps, workload.Steps);
        Assert.Equal(evaluations, workload.Evaluations);
        Assert.Equal(cosines, workload.CosineSamples);
    }

    [Fact]
    public void TrainFlops_AreEveryCellsMatmulsLessWhatCellsSharingASeedDoOnce()
    {
        // Directional, 40 → 16 → 16 → 10: forward 2·(16·40 + 16·16 + 10·16) = 2112, weight-tangent outer products as
        // many, tangent propagation through layers 1 and 2 2·(16·16 + 10·16) = 832; cells sharing a seed compute layer
        // 0's tangent (2·16·40 = 1280) once between them.
        var spec = Spec(OptimizerKind.Sgd, cells: 3) with { Estimator = new EstimatorSettings(EstimatorKind.Directional) };
        spec = spec with { Cells = [spec.Cells[0], spec.Cells[0] with { Seed = 0 }, spec.Cells[2]] };   // seeds 0, 0, 2
        double perCell = 2112 + 2112 + 832;
        Assert.Equal((3 * perCell - 1280) * 300, new PackWorkload(spec, Shape).TrainFlopsPerEpoch);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 1)]
    [InlineData(OptimizerKind.AdamW, 2)]
    [InlineData(OptimizerKind.StableAdamW, 4)]
    public void CheckpointBytes_IsWithinTwoPercentOfTheFileTheTrainerWrites(OptimizerKind optimizer, int cells)
    {
        var spec = Spec(optimizer, cells, width: 64);
        using var trainer = new PackTrainer(spec, _data, CPU);
        trainer.RunEpoch(CancellationToken.None);
        var path = Path.Combine(_dir, $"{optimizer}.ckpt");
        trainer.SaveCheckpoint(path);

        long actual = new FileInfo(path).Length, planned = new PackWorkload(spec, Shape).CheckpointBytes;
        Assert.True(Math.Abs(planned - actual) <= 0.02 * actual, $"planned {planned} bytes, the file has {actual}");
    }

    /// <summary>The trainer's own tensors, counted: its weights and its optimizer's state, a gradient as large as the
    /// weights, and, unless checkpoints come every epoch, a copy of weights and state to roll back to.</summary>
    [Theory]
    [InlineData(OptimizerKind.Sgd, 1)]
    [InlineData(OptimizerKind.AdamW, 3)]
    [InlineData(OptimizerKind.StableAdamW, 2)]
    public void TrainingStateBytes_CountsTheTrainersWeightsOptimizerStateAndGradient_AndTheRollbackCopyWhereOneIsHeld(OptimizerKind optimizer, int cells)
    {
        var spec = Spec(optimizer, cells, width: 32, cosineEvery: 0);
        using var trainer = new PackTrainer(spec, _data, CPU);
        long Bytes(Tensor t) => t.NumberOfElements * t.ElementSize;
        long weights = Bytes(trainer.Model.Parameters.Flat), state = trainer.Optimizer.State.Values.Sum(Bytes);

        Assert.Equal(2 * weights + state, new PackWorkload(spec, Shape).TrainingStateBytes(checkpointEvery: 1));
        Assert.Equal(2 * (weights + state) + weights, new PackWorkload(spec, Shape).TrainingStateBytes(checkpointEvery: 5));
        // One epoch in all: it starts at the initial state, and no epoch keeps a copy (a large one-epoch pack was refused).
        Assert.Equal(2 * weights + state, new PackWorkload(spec with { Epochs = 1 }, Shape).TrainingStateBytes(checkpointEvery: 5));
        // Sampling cosine similarity, the trainer keeps the true gradient beside the update, as large as the weights.
        Assert.Equal(3 * weights + state, new PackWorkload(spec with { CosineEvery = 4 }, Shape).TrainingStateBytes(checkpointEvery: 1));
        // Under a schedule, the optimizer's state is held twice while the rates change at an epoch's start.
        var scheduled = spec with { Cells = [.. spec.Cells.Select(c => c with { Optimizer = c.Optimizer with { Schedule = LrSchedule.Of(ScheduleKind.Cosine, 0, spec.Epochs) } })] };
        Assert.Equal(2 * weights + 2 * state, new PackWorkload(scheduled, Shape).TrainingStateBytes(checkpointEvery: 1));
    }

    [Fact]
    public void Seconds_AddsStepsEvaluationsAndCosineSamplesAtTheMeasuredSpeed()
    {
        var shape = new DataShape(320, 80, 40, 10);                    // 5 whole batches of 64
        var speed = new PackSpeed(SecondsPerStep: 0.01, EvalSecondsPerExample: 1e-6);
        var plain = new PackWorkload(Spec(OptimizerKind.AdamW, cells: 1, epochs: 4, evaluateEvery: 2, cosineEvery: 0)
            with { Estimator = new EstimatorSettings(EstimatorKind.Backprop) }, shape);
        var sampled = new PackWorkload(plain.Spec with { CosineEvery = 3 }, shape);

        Assert.Equal(20 * 0.01 + 2 * 400 * 1e-6, plain.Seconds(speed), 12);
        // A cosine sample is a backward pass on the step's own forward (PackTrainer hands Backprop.Gradient the step's
        // cache): for a 40-16-16-10 backprop pack, weight gradients 2·(640+256+160) and propagation 2·(256+160) of the
        // step's 2·1056 + 2·1056 + 832 multiply-add FLOPs per example.
        Assert.Equal(7, sampled.CosineSamples);                            // steps 0, 3, …, 18
        Assert.Equal(plain.Seconds(speed) + 7 * 0.01 * (2112.0 + 832) / (2112 + 2112 + 832), sampled.Seconds(speed), 12);
        // A short last batch costs the part of a full step it is: 300 examples are 4.6875 batches of 64, not 5.
        var shortLast = new PackWorkload(plain.Spec, shape with { TrainCount = 300 });
        Assert.Equal(5, shortLast.StepsPerEpoch);
        Assert.Equal(4 * 4.6875 * 0.01 + 2 * 380 * 1e-6, shortLast.Seconds(speed), 12);
    }

    [Fact]
    public void SpeedProbe_TimesAFewStepsOfThePacksOwnConfiguration()
    {
        var spec = Spec(OptimizerKind.StableAdamW, cells: 3, epochs: 1000, evaluateEvery: 7, cosineEvery: 5);
        var speed = PackSpeedProbe.Measure(spec, new DataShape(60_000, 10_000, 40, 10), CPU, steps: 3, CancellationToken.None);
        Assert.True(double.IsFinite(speed.SecondsPerStep) && speed.SecondsPerStep > 0, speed.ToString());
        Assert.True(double.IsFinite(speed.EvalSecondsPerExample) && speed.EvalSecondsPerExample > 0, speed.ToString());
        Assert.Equal(3, speed.Steps);
        // A full-batch spec (the set is one batch) times its one step, on a probe set no larger than the real one.
        Assert.Equal(1, PackSpeedProbe.Measure(spec with { BatchSize = 5000 }, new DataShape(300, 10, 40, 10), CPU, steps: 16, CancellationToken.None).Steps);
        Assert.Throws<ArgumentOutOfRangeException>(() => PackSpeedProbe.Measure(spec, new DataShape(100, 10, 40, 10), CPU, steps: 0, CancellationToken.None));
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.StableAdamW)]
    public void StateTensors_CountsWhatTheOptimizerKeeps(OptimizerKind kind)
    {
        var shape = new MlpShape(8, 4, 1, 3);
        using var optimizer = OptimizerFactory.Create([OptimizerSettings.Default(kind, 1e-3), OptimizerSettings.Default(kind, 1e-2)], shape, CPU);
        Assert.Equal(OptimizerFactory.StateTensors(kind), optimizer.State.Count);
        Assert.All(optimizer.State.Values, t => Assert.Equal(2 * shape.ParameterCount, t.numel()));
    }

    /// <summary>A batch larger than the training set trains on the whole set: activation-mixing's per-example guess work
    /// (which grows with the batch) is counted at the set's size, not the spec's batch (a plan once overstated it).</summary>
    [Fact]
    public void BatchLargerThanTheSet_CountsAsTheWholeSet()
    {
        PackSpec Mixing(int batch) => Spec(OptimizerKind.Sgd, cells: 1) with
        {
            Estimator = new EstimatorSettings(EstimatorKind.ActivationMixing), BatchSize = batch,
        };
        var whole = new PackWorkload(Mixing((int)_data.TrainCount), Shape).TrainFlopsPerEpoch;
        Assert.Equal(whole, new PackWorkload(Mixing(10 * (int)_data.TrainCount), Shape).TrainFlopsPerEpoch);
        Assert.True(new PackWorkload(Mixing(64), Shape).TrainFlopsPerEpoch < whole, "the guess work grows with the batch");
    }
}
