using GradGuessCluster.Tests.Shared;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Loop;

public sealed class PackTrainerTests : IDisposable
{
    private readonly Dataset _data;
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-trainer-").FullName;

    public PackTrainerTests()
    {
        TinyNets.Init();
        _data = TinyNets.Data(features: 12, train: 600, test: 200);
    }

    private static PackSpec Spec(EstimatorKind method, params CellSettings[] cells) => new(
        new DataSource("synthetic"), Depth: 2, Width: 16, new EstimatorSettings(method), BatchSize: 64, Epochs: 4,
        DataSeed: 5, cells, EvaluateEvery: 1, CosineEvery: 3);

    private static CellSettings Cell(OptimizerKind kind, double lr, int seed = 1) => new(OptimizerSettings.Default(kind, lr), seed);

    [Fact]
    public void Backprop_LearnsTheSyntheticTask()
    {
        using var trainer = new PackTrainer(Spec(EstimatorKind.Backprop, Cell(OptimizerKind.AdamW, 1e-2)), _data, CPU);
        EpochMetrics? last = null;
        while (!trainer.IsFinished) last = trainer.RunEpoch(CancellationToken.None)[0];
        Assert.NotNull(last);
        Assert.Equal(4, last.Epoch);
        Assert.True(last.TrainAccuracy > 0.6, $"train accuracy {last.TrainAccuracy}");
        Assert.True(last.TestAccuracy > 0.5, $"test accuracy {last.TestAccuracy}");
        Assert.Equal(1.0, last.CosineSimilarity!.Value, 4);                            // backprop's update is the gradient
        Assert.Equal(1.0, last.GradientProjection!.Value, 4);
        Assert.Equal(1.0, last.UpdateNormRatio!.Value, 4);
        // AdamW scales each coordinate by its own second moment: its step leaves the gradient's direction.
        Assert.InRange(last.StepCosine!.Value, 0.0, 0.99);
        Assert.Equal(last.LayerCosine!.Count, last.LayerStepCosine!.Count);
        Assert.All(last.LayerStepCosine, c => Assert.InRange(c, 0.0, 0.99));
        Assert.Equal(last.LayerGradientShare!, last.LayerUpdateShare!, (a, b) => Math.Abs(a - b) < 1e-4);   // u = g
        // ... but not its step: AdamW's goes where the parameters are.
        Assert.NotEqual(last.LayerGradientShare!, last.LayerStepShare!, (a, b) => Math.Abs(a - b) < 1e-2);
        foreach (var shares in new[] { last.LayerGradientShare!, last.LayerStepShare! })
        {
            Assert.Equal(1.0, shares.Sum(), 4);
            Assert.All(shares, s => Assert.InRange(s, 1e-4, 1.0));
        }
    }

    [Fact]
    public void EpochsWithoutASampledStep_HaveNoAlignment_AndTheOracleMeasuresItsOwn()
    {
        // 600 examples in batches of 64: 10 steps an epoch, so sampling every 25th step leaves epoch 2 without a sample.
        var spec = Spec(EstimatorKind.MatchedNoise, Cell(OptimizerKind.Sgd, 1e-2)) with
        {
            Estimator = new EstimatorSettings(EstimatorKind.MatchedNoise, MatchedCosine: 0.25), CosineEvery = 25, Epochs = 3,
        };
        var curve = Curves(spec).Select(e => e[0]!).ToList();
        Assert.Equal((null, null, null, null), (curve[1].CosineSimilarity, curve[1].GradientProjection, curve[1].UpdateNormRatio, curve[1].StepCosine));
        Assert.Equal((null, null, null, null), (curve[1].LayerStepCosine, curve[1].LayerGradientShare, curve[1].LayerUpdateShare, curve[1].LayerStepShare));
        foreach (var sampled in new[] { curve[0], curve[2] })                      // steps 0 and 25
        {
            Assert.Equal(0.25, sampled.CosineSimilarity!.Value, 4);
            Assert.Equal(1.0, sampled.GradientProjection!.Value, 4);               // the gradient plus noise orthogonal to it
            Assert.Equal(4.0, sampled.UpdateNormRatio!.Value, 3);                  // ‖u‖ = ‖g‖ / cos
            Assert.Equal(0.25, sampled.StepCosine!.Value, 3);                      // SGD, no momentum nor decay: the step is −lr·u
            // Layer by layer too; the oracle's noise is isotropic over all parameters, not within each layer.
            Assert.Equal(sampled.LayerCosine!.Count, sampled.LayerStepCosine!.Count);
            for (int l = 0; l < sampled.LayerCosine.Count; l++) Assert.Equal(sampled.LayerCosine[l], sampled.LayerStepCosine[l], 3);
            Assert.Equal(sampled.LayerUpdateShare!, sampled.LayerStepShare!, (a, b) => Math.Abs(a - b) < 1e-4);
            Assert.NotEqual(sampled.LayerGradientShare!, sampled.LayerUpdateShare!, (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Theory]
    [InlineData(EstimatorKind.WTranspose, OptimizerKind.AdamW)]
    [InlineData(EstimatorKind.Directional, OptimizerKind.Sgd)]
    [InlineData(EstimatorKind.ActivationMixing, OptimizerKind.StableAdamW)]
    [InlineData(EstimatorKind.Backprop, OptimizerKind.StableAdamW)]
    [InlineData(EstimatorKind.ActivationPerturbation, OptimizerKind.Sgd)]
    [InlineData(EstimatorKind.Downstream, OptimizerKind.AdamW)]
    [InlineData(EstimatorKind.MatchedNoise, OptimizerKind.AdamW)]
    // K guesses (summed before each layer's outer product, and for directional cells sharing a seed the shared layer-0
    // tangent) and the per-layer passes index the pack's cells in their own code paths.
    [InlineData(EstimatorKind.WTranspose, OptimizerKind.AdamW, 3, false)]
    [InlineData(EstimatorKind.Downstream, OptimizerKind.StableAdamW, 2, false)]
    [InlineData(EstimatorKind.ActivationMixing, OptimizerKind.Sgd, 2, true)]
    [InlineData(EstimatorKind.Directional, OptimizerKind.AdamW, 3, true)]
    public void PackOfFour_GivesTheCurvesOfFourSeparateRuns(EstimatorKind method, OptimizerKind optimizer, int guesses = 1, bool onePass = true)
    {
        var cells = new[] { Cell(optimizer, 1e-2, 1), Cell(optimizer, 1e-3, 1), Cell(optimizer, 3e-3, 2), Cell(optimizer, 1e-2, 3) };
        PackSpec Of(params CellSettings[] c) => Spec(method, c) with { Estimator = new EstimatorSettings(method, guesses, onePass) };
        var packed = Curves(Of(cells));
        for (int p = 0; p < cells.Length; p++)
        {
            var alone = Curves(Of(cells[p]));
            for (int e = 0; e < alone.Count; e++)
            {
                var (a, b) = (alone[e][0]!, packed[e][p]!);
                Assert.Equal(a.TrainLoss, b.TrainLoss, 4);
                Assert.Equal(a.TrainAccuracy!.Value, b.TrainAccuracy!.Value, 2);
                Assert.Equal(a.TestAccuracy!.Value, b.TestAccuracy!.Value, 2);
                Assert.Equal(a.CosineSimilarity!.Value, b.CosineSimilarity!.Value, 3);
                Assert.Equal(a.GradientProjection!.Value, b.GradientProjection!.Value, 3);
                Assert.Equal(a.UpdateNormRatio!.Value, b.UpdateNormRatio!.Value, 2);
                Assert.Equal(a.StepCosine!.Value, b.StepCosine!.Value, 3);
                foreach (var layers in new Func<EpochMetrics, IReadOnlyList<double>?>[]
                             { m => m.LayerStepCosine, m => m.LayerGradientShare, m => m.LayerUpdateShare, m => m.LayerStepShare })
                    Assert.Equal(layers(a)!, layers(b)!, (x, y) => Math.Abs(x - y) < 1e-3);
            }
        }
    }

    [Fact]
    public void FlopsPerEpoch_CountsTheLayerZeroTangentOnceForCellsSharingASeed()
    {
        double Flops(EstimatorKind method, params int[] seeds)
        {
            using var trainer = new PackTrainer(Spec(method, seeds.Select(s => Cell(OptimizerKind.Sgd, 1e-2, s)).ToArray()), _data, CPU);
            return trainer.FlopsPerEpoch;
        }
        double layerZeroTangent = 2.0 * 16 * 12 * _data.TrainCount;                 // Ẇ_0 x_0: width 16, 12 features
        Assert.Equal(4 * Flops(EstimatorKind.Backprop, 1), Flops(EstimatorKind.Backprop, 1, 1, 2, 3), 6);
        Assert.Equal(4 * Flops(EstimatorKind.Directional, 1), Flops(EstimatorKind.Directional, 1, 2, 3, 4), 6);
        Assert.Equal(4 * Flops(EstimatorKind.Directional, 1) - layerZeroTangent, Flops(EstimatorKind.Directional, 1, 1, 2, 3), 6);
    }

    [Theory]
    [InlineData(EstimatorKind.Downstream, OptimizerKind.StableAdamW, null)]
    [InlineData(EstimatorKind.Directional, OptimizerKind.Sgd, null)]
    [InlineData(EstimatorKind.Downstream, OptimizerKind.AdamW, 0.4)]   // the middle cell's output layer at 0.4 × its rate
    [InlineData(EstimatorKind.WTranspose, OptimizerKind.AdamW, null, 3, false)]   // K draws a step, a pass per layer
    [InlineData(EstimatorKind.ActivationMixing, OptimizerKind.Sgd, null, 2)]
    // A cosine schedule with a warm-up epoch: the resumed pack's next epoch takes a rate it has not stepped at yet.
    [InlineData(EstimatorKind.WTranspose, OptimizerKind.StableAdamW, null, 1, true, true)]
    [InlineData(EstimatorKind.Directional, OptimizerKind.Sgd, 0.4, 1, true, true)]
    public void ResumeFromCheckpoint_IsBitIdenticalToUninterruptedRun(EstimatorKind method, OptimizerKind optimizer, double? outputScale,
        int guesses = 1, bool onePass = true, bool cosine = false)
    {
        // Cells 0 and 1 share a seed, hence one guess stream: the checkpoint must restore it once for both.
        var middle = Cell(optimizer, 1e-3, 1);
        middle = middle with { Optimizer = middle.Optimizer with { OutputLrScale = outputScale } };
        var spec = Scheduled(Spec(method, Cell(optimizer, 1e-2, 1), middle, Cell(optimizer, 3e-3, 2))
            with { Epochs = 5, Estimator = new EstimatorSettings(method, guesses, onePass) }, cosine ? LrSchedule.Of(ScheduleKind.Cosine, 1, 5) : null);
        var straight = Curves(spec, out var finalWeights);

        var path = Path.Combine(_dir, "pack.ckpt");
        var resumed = new List<IReadOnlyList<EpochMetrics?>>();
        using (var first = new PackTrainer(spec, _data, CPU))
        {
            resumed.Add(first.RunEpoch(CancellationToken.None));
            resumed.Add(first.RunEpoch(CancellationToken.None));
            first.SaveCheckpoint(path);
            first.RunEpoch(CancellationToken.None);                                      // progress after the checkpoint is lost
        }
        using var second = new PackTrainer(spec, _data, CPU);
        second.LoadCheckpoint(path);
        Assert.Equal(2, second.EpochsCompleted);
        while (!second.IsFinished) resumed.Add(second.RunEpoch(CancellationToken.None));

        Assert.Equal(straight.Count, resumed.Count);
        for (int e = 0; e < straight.Count; e++)
            for (int p = 0; p < spec.Cells.Count; p++)
                Assert.Equal(Strip(straight[e][p]!), Strip(resumed[e][p]!));
        Assert.Equal(finalWeights, second.Model.Parameters.Flat.data<float>().ToArray());
    }

    private static PackSpec Scheduled(PackSpec spec, LrSchedule? schedule) =>
        spec with { Cells = [.. spec.Cells.Select(c => c with { Optimizer = c.Optimizer with { Schedule = schedule } })] };

    [Fact]
    public void ACosineSchedule_TrainsItsFirstEpochAsTheConstantRate_BitForBit_AndTheRestApart_AsAPackAndAlone()
    {
        var constant = Spec(EstimatorKind.ActivationPerturbation, Cell(OptimizerKind.AdamW, 1e-2, 1), Cell(OptimizerKind.AdamW, 3e-3, 2)) with { Epochs = 3 };
        var cosine = Scheduled(constant, LrSchedule.Of(ScheduleKind.Cosine, 0, 3));
        var (flat, annealed) = (Curves(constant), Curves(cosine));
        for (int p = 0; p < 2; p++)
        {
            Assert.Equal(Strip(flat[0][p]!), Strip(annealed[0][p]!));   // factor 1: the unscheduled kernels' own arithmetic
            Assert.NotEqual(flat[1][p]!.TrainLoss, annealed[1][p]!.TrainLoss);
            var alone = Curves(cosine with { Cells = [cosine.Cells[p]] });
            for (int e = 0; e < 3; e++) Assert.Equal(alone[e][0]!.TrainLoss, annealed[e][p]!.TrainLoss, 4);
        }
    }

    [Fact]
    public void CancelledEpoch_RollsBackToTheEpochBoundary()
    {
        var spec = Spec(EstimatorKind.WTranspose, Cell(OptimizerKind.AdamW, 1e-2));
        var straight = Curves(spec);
        using var trainer = new PackTrainer(spec, _data, CPU);
        using var cts = new CancellationTokenSource();
        trainer.Progress = p => { if (p.Epoch == 2 && p.Step >= 3) cts.Cancel(); };
        var got = new List<EpochMetrics?> { trainer.RunEpoch(CancellationToken.None)[0] };
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.RunEpoch(cts.Token));
        Assert.Equal(1, trainer.EpochsCompleted);
        trainer.Progress = null;
        while (!trainer.IsFinished) got.Add(trainer.RunEpoch(CancellationToken.None)[0]);
        Assert.Equal(straight.Select(r => Strip(r[0]!)), got.Select(r => Strip(r!)));
    }

    /// <summary>Without rollback no copy is kept: the cancelled trainer holds mid-epoch weights and refuses to train on or
    /// checkpoint them; the checkpoint of the epoch's start, loaded, goes on to the uninterrupted curve.</summary>
    [Fact]
    public void CancelledEpochWithoutRollback_LeavesTheTrainerSpent_UntilTheCheckpointOfItsStartIsLoaded()
    {
        var spec = Spec(EstimatorKind.Backprop, Cell(OptimizerKind.AdamW, 1e-2));
        var straight = Curves(spec);
        var path = Path.Combine(_dir, "spent.ckpt");
        using var trainer = new PackTrainer(spec, _data, CPU);
        using var cts = new CancellationTokenSource();
        var got = new List<EpochMetrics?> { trainer.RunEpoch(CancellationToken.None, rollBack: false)[0] };
        trainer.SaveCheckpoint(path);
        var atCheckpoint = trainer.Model.Parameters.Flat.data<float>().ToArray();
        trainer.Progress = p => { if (p.Epoch == 2 && p.Step >= 3) cts.Cancel(); };
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.RunEpoch(cts.Token, rollBack: false));
        Assert.Equal(1, trainer.EpochsCompleted);
        Assert.NotEqual(atCheckpoint, trainer.Model.Parameters.Flat.data<float>().ToArray());   // mid-epoch: not rolled back
        var spent = Path.Combine(_dir, "mid-epoch.ckpt");
        Assert.Throws<InvalidOperationException>(() => trainer.SaveCheckpoint(spent));
        Assert.False(File.Exists(spent));
        Assert.Throws<InvalidOperationException>(() => trainer.RunEpoch(CancellationToken.None));

        trainer.LoadCheckpoint(path);
        trainer.Progress = null;
        while (!trainer.IsFinished) got.Add(trainer.RunEpoch(CancellationToken.None, rollBack: false)[0]);
        Assert.Equal(straight.Select(r => Strip(r[0]!)), got.Select(r => Strip(r!)));
    }

    [Fact]
    public void EpochFailingPartWay_LeavesTheTrainerSpent_RatherThanMidEpochStateLabelledTheEpochBefore()
    {
        // Only a cancel marked the state: after another failure the trainer trained on, or checkpointed, steps of an
        // epoch it still counted as not begun.
        var spec = Spec(EstimatorKind.Backprop, Cell(OptimizerKind.AdamW, 1e-2));
        using var trainer = new PackTrainer(spec, _data, CPU);
        trainer.RunEpoch(CancellationToken.None);
        trainer.Progress = p => { if (p.Step >= 3) throw new IOException("device lost"); };

        Assert.Throws<IOException>(() => trainer.RunEpoch(CancellationToken.None));
        Assert.Equal(1, trainer.EpochsCompleted);
        var mid = Path.Combine(_dir, "mid-epoch.ckpt");
        Assert.Throws<InvalidOperationException>(() => trainer.SaveCheckpoint(mid));
        Assert.False(File.Exists(mid));
        trainer.Progress = null;
        Assert.Throws<InvalidOperationException>(() => trainer.RunEpoch(CancellationToken.None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]    // the diverged cell's NaN weights must not break its packmate's effective-rank SVD
    public void HugeSgdStep_EndsTheCellAsDiverged_WhileItsPackmateGoesOn(bool effectiveRank)
    {
        var spec = Spec(EstimatorKind.Backprop, Cell(OptimizerKind.Sgd, 1e4), Cell(OptimizerKind.Sgd, 1e-2)) with { EffectiveRank = effectiveRank };
        using var trainer = new PackTrainer(spec, _data, CPU);
        var first = trainer.RunEpoch(CancellationToken.None);
        Assert.True(first[0]!.Diverged);
        Assert.False(first[1]!.Diverged);
        // Epoch 1 is evaluated, but the diverged cell's NaN weights have no accuracy or rank to report.
        Assert.Null(first[0]!.TrainAccuracy);
        Assert.Null(first[0]!.TestAccuracy);
        Assert.Null(first[0]!.EffectiveRank);
        Assert.NotNull(first[1]!.TrainAccuracy);
        Assert.NotNull(first[1]!.TestAccuracy);
        if (effectiveRank) Assert.All(first[1]!.EffectiveRank!, r => Assert.True(r >= 1, $"rank {r}"));
        var second = trainer.RunEpoch(CancellationToken.None);
        Assert.Null(second[0]);                                                         // a diverged cell trains no further
        Assert.NotNull(second[1]);
        Assert.False(trainer.IsFinished);
    }

    [Fact]
    public void AdamWSecondMomentOverflowed_EndsThatCellAsDiverged_ThoughItsWeightsStayFinite()
    {
        // A finite gradient above about 1.8e19 squares to inf: every later step of that cell is m / inf = 0, its weights
        // and loss stay finite, and it would report a frozen accuracy to the end as if it trained.
        var spec = Spec(EstimatorKind.Backprop, Cell(OptimizerKind.AdamW, 1e-3), Cell(OptimizerKind.AdamW, 1e-3));
        using var trainer = new PackTrainer(spec, _data, CPU);
        trainer.RunEpoch(CancellationToken.None);
        using (no_grad())
        using (var inf = double.PositiveInfinity.ToScalar())
            trainer.Optimizer.State["adamw.v"][1].fill_(inf);

        var records = trainer.RunEpoch(CancellationToken.None);
        Assert.False(records[0]!.Diverged);
        Assert.True(records[1]!.Diverged);
        Assert.True(double.IsFinite(records[1]!.TrainLoss));
        Assert.Null(trainer.RunEpoch(CancellationToken.None)[1]);
    }

    [Fact]
    public void CorruptOrForeignCheckpoint_IsRefusedWithAClearError()
    {
        var spec = Spec(EstimatorKind.Backprop, Cell(OptimizerKind.AdamW, 1e-3));
        var path = Path.Combine(_dir, "c.ckpt");
        using (var t = new PackTrainer(spec, _data, CPU)) { t.RunEpoch(CancellationToken.None); t.SaveCheckpoint(path); }

        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        var flipped = Path.Combine(_dir, "flipped.ckpt");
        File.WriteAllBytes(flipped, bytes);
        var truncated = Path.Combine(_dir, "truncated.ckpt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        var junk = Path.Combine(_dir, "junk.ckpt");
        File.WriteAllText(junk, "not a checkpoint at all, just text that is long enough to pass the length check");

        foreach (var bad in new[] { flipped, truncated, junk })
        {
            using var t = new PackTrainer(spec, _data, CPU);
            var e = Assert.Throws<CheckpointCorruptException>(() => t.LoadCheckpoint(bad));
            Assert.Contains(bad, e.Message);
            Assert.Equal(0, t.EpochsCompleted);
        }
        using var other = new PackTrainer(spec with { DataSeed = 6 }, _data, CPU);
        var foreign = Assert.Throws<CheckpointCorruptException>(() => other.LoadCheckpoint(path));
        Assert.Contains("different pack", foreign.Message);
        Assert.Matches(@"DataSeed: stored \d+, now 6$", foreign.Message);   // says what differs, and nothing else
        using var sgd = new PackTrainer(Spec(EstimatorKind.Backprop, Cell(OptimizerKind.Sgd, 1e-2)), _data, CPU);
        var message = Assert.Throws<CheckpointCorruptException>(() => sgd.LoadCheckpoint(path)).Message;
        // The kind, and the fields both kinds read; not AdamW's β and ε, which SGD has no use for.
        Assert.EndsWith("Cells[0].Optimizer.Kind: stored \"AdamW\", now \"Sgd\"; Cells[0].Optimizer.LearningRate: stored 0.001, now 0.01; "
            + "Cells[0].Optimizer.WeightDecay: stored 0.01, now 0", message);
    }

    [Fact]
    public void Checkpoint_ResumesFromAnotherDataDirectory_ButNotForAnotherDataSet()
    {
        var spec = Spec(EstimatorKind.Backprop, Cell(OptimizerKind.AdamW, 1e-3)) with { Data = new DataSource("synthetic", "/data/here") };
        var path = Path.Combine(_dir, "c.ckpt");
        using (var t = new PackTrainer(spec, _data, CPU)) { t.RunEpoch(CancellationToken.None); t.SaveCheckpoint(path); }

        foreach (var dir in new[] { "/data/here/", "/mnt/elsewhere", null })
        {
            using var moved = new PackTrainer(spec with { Data = new DataSource("synthetic", dir) }, _data, CPU);
            moved.LoadCheckpoint(path);
            Assert.Equal(1, moved.EpochsCompleted);
        }
        using var otherSet = new PackTrainer(spec with { Data = new DataSource("synthetic", "/data/here", SyntheticSeed: 9) }, _data, CPU);
        Assert.Contains("different pack", Assert.Throws<CheckpointCorruptException>(() => otherSet.LoadCheckpoint(path)).Message);
    }

    [Fact]
    public void Checkpoint_OfOtherData_IsRefusedNamingBothDigests_ButTheSameExamplesStoredOtherwiseResume()
    {
        using var files = new DataFixtures();
        var gz = files.WriteIdxSet(train: 128, test: 32, gzip: true, sub: "gz");
        var raw = files.WriteIdxSet(train: 128, test: 32, gzip: false, sub: "raw");
        var spec = Spec(EstimatorKind.Backprop, Cell(OptimizerKind.AdamW, 1e-3)) with { Data = new DataSource("mnist", gz) };
        var path = Path.Combine(_dir, "c.ckpt");
        string trained;
        using (var data = DatasetLoader.Load(spec.Data))
        using (var t = new PackTrainer(spec, data, CPU))
        {
            t.RunEpoch(CancellationToken.None);
            t.SaveCheckpoint(path);
            trained = data.Digest!;
        }
        Assert.Equal(trained, CheckpointFile.Read(path).DataDigest);

        using (var same = DatasetLoader.Load(new DataSource("mnist", raw)))
        using (var t = new PackTrainer(spec with { Data = new DataSource("mnist", raw) }, same, CPU))
        {
            t.LoadCheckpoint(path);
            Assert.Equal(1, t.EpochsCompleted);
        }

        DataFixtures.ChangeLastLabel(Path.Combine(raw, DatasetLoader.TrainLabels));
        using var changed = DatasetLoader.Load(new DataSource("mnist", raw));
        using var other = new PackTrainer(spec with { Data = new DataSource("mnist", raw) }, changed, CPU);
        var e = Assert.Throws<DataChangedException>(() => other.LoadCheckpoint(path));
        Assert.Equal($"checkpoint {path}: trained on other data than mnist in {raw} holds now (data digest {trained}, now {changed.Digest}); "
            + "put back the files it trained on", e.Message);
        Assert.Equal(0, other.EpochsCompleted);

        // A checkpoint written before digests were kept cannot tell: it resumes, as it did.
        var state = CheckpointFile.Read(path);
        var old = Path.Combine(_dir, "old.ckpt");
        try { CheckpointFile.Write(old, state with { DataDigest = null }); }
        finally { foreach (var t in state.Tensors.Values) t.Dispose(); }
        other.LoadCheckpoint(old);
        Assert.Equal(1, other.EpochsCompleted);
    }

    [Fact]
    public void PhaseMarks_CloseEveryPhaseOfEveryStep_InOrder()
    {
        // 600 examples in batches of 64: 10 steps; the cosine is sampled at global steps 0, 3, 6 and 9.
        using var trainer = new PackTrainer(Spec(EstimatorKind.WTranspose, Cell(OptimizerKind.Sgd, 1e-2)), _data, CPU);
        var marks = new List<StepPhase>();
        trainer.PhaseMark = marks.Add;
        trainer.RunEpoch(CancellationToken.None);

        var expected = new List<StepPhase>();
        for (int step = 0; step < 10; step++)
        {
            expected.AddRange([StepPhase.Batch, StepPhase.Forward, StepPhase.Loss, StepPhase.Estimate]);
            if (step % 3 == 0) expected.Add(StepPhase.Diagnostics);
            expected.Add(StepPhase.Optimizer);
        }
        Assert.Equal(expected, marks);
    }

    private List<IReadOnlyList<EpochMetrics?>> Curves(PackSpec spec) => Curves(spec, out _);

    private List<IReadOnlyList<EpochMetrics?>> Curves(PackSpec spec, out float[] finalWeights)
    {
        using var trainer = new PackTrainer(spec, _data, CPU);
        var curves = new List<IReadOnlyList<EpochMetrics?>>();
        while (!trainer.IsFinished) curves.Add(trainer.RunEpoch(CancellationToken.None));
        finalWeights = trainer.Model.Parameters.Flat.data<float>().ToArray();
        return curves;
    }

    /// <summary>The record without wall-clock fields, with the list fields flattened for value equality.</summary>
    private static string Strip(EpochMetrics m) =>
        $"{m.Epoch}|{m.TrainLoss:R}|{m.TrainAccuracy:R}|{m.TestAccuracy:R}|{m.CosineSimilarity:R}|" +
        $"{string.Join(",", m.LayerCosine ?? [])}|{m.Diverged}";

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
