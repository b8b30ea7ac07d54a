using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>
/// The sweep validator (Grains.Interfaces, no TorchSharp) and the training core's own checks (used by <c>train</c> and
/// every pack) are two rule sets in two projects. Whatever a spec passes must train: a value the validator lets
/// through and the trainer refuses would fail every cell of a submitted sweep. Where both judge a value they must agree,
/// so a bound changed on one side only fails here.
/// </summary>
public sealed class SpecTrainingAgreementTests
{
    private static readonly SweepSpec Base = new(
        "agree", new DataSpec("synthetic"), new ModelSpec(2, 16), SpecNames.Methods, SpecNames.Optimizers, [1e-3], [0], 2);

    /// <summary>One changed field each; <c>stricter</c>: the spec refuses more than training does (a sweep's limit).</summary>
    public static TheoryData<string, Func<SweepSpec, SweepSpec>, bool> Probes()
    {
        var data = new TheoryData<string, Func<SweepSpec, SweepSpec>, bool>();
        void Add(string name, Func<SweepSpec, SweepSpec> change, bool stricter = false) => data.Add(name, change, stricter);
        foreach (var d in new[] { 0, 1, 64, 65 }) Add($"depth {d}", s => s with { Model = new ModelSpec(d, 16) });
        foreach (var w in new[] { 0, 1, 65_536, 65_537 }) Add($"width {w}", s => s with { Model = new ModelSpec(1, w) });
        foreach (var k in new[] { 1, 0.1, 1e-6, 9.99e-7, 1000, 1000.001, 0, -1, double.PositiveInfinity, double.NaN })
            Add($"initScale {k}", s => s with { Model = new ModelSpec(2, 16, k) });
        // Every layer's weights and biases, summed over a pack's cells, must fit one flat tensor.
        var features = DataSpec.DefaultSyntheticFeatures;
        foreach (var w in Edge(SpecBoundsTests.WidestModel(features, 2, 1))) Add($"depth 2 width {w}", s => s with { Model = new ModelSpec(2, w) });
        var packed = SpecBoundsTests.WidestModel(features, 2, 2);
        foreach (var w in Edge(packed))
            Add($"depth 2 width {w}, two LRs packed", s => s with { Model = new ModelSpec(2, w), LearningRates = [1e-3, 1e-4], Packing = PackingMode.Lr });
        Add($"depth 2 width {packed + 1}, two LRs unpacked", s => s with { Model = new ModelSpec(2, packed + 1), LearningRates = [1e-3, 1e-4] });
        var wide = new DataSpec("synthetic", Train: 100, Test: 10, Features: SweepSpecValidator.MaxSyntheticFeatures);
        foreach (var w in Edge(SpecBoundsTests.WidestModel(wide.Features, 1, 1)))
            Add($"depth 1 width {w} on {wide.Features} features", s => s with { Data = wide, Model = new ModelSpec(1, w) });
        foreach (var lr in new[] { 1e-3, 0, -1, double.NaN, double.PositiveInfinity, 1e300, double.Epsilon })
            Add($"lr {lr}", s => s with { LearningRates = [lr] });
        foreach (var v in new[] { 0, -1e-9, 1, double.PositiveInfinity, double.NaN })
            Add($"weightDecay {v}", s => s with { Optimizer = new OptimizerSpec(WeightDecay: v) });
        foreach (var v in new[] { 0, 0.99, 1, -0.1, double.NaN })
        {
            Add($"momentum {v}", s => s with { Optimizer = new OptimizerSpec(Momentum: v) });
            Add($"beta1 {v}", s => s with { Optimizer = new OptimizerSpec(Beta1: v) });
            Add($"beta2 {v}", s => s with { Optimizer = new OptimizerSpec(Beta2: v) });
        }
        foreach (var v in new[] { 1.1e-19, 1e-19, 1e-8, 0, double.PositiveInfinity, double.NaN })
            Add($"epsilon {v}", s => s with { Optimizer = new OptimizerSpec(Epsilon: v) });
        foreach (var v in new[] { 1, 0, -1, double.PositiveInfinity, double.NaN })
            Add($"clipThreshold {v}", s => s with { Optimizer = new OptimizerSpec(ClipThreshold: v) });
        foreach (var v in new[] { 1, 0.4, 0, -1, double.PositiveInfinity, double.NaN })
            Add($"outputLrScale {v}", s => s with { Optimizer = new OptimizerSpec(OutputLrScale: v) });
        // The output layer's rate (learning rate × scale) must be a float32 > 0 and finite, as every learning rate is.
        foreach (var (lr, k) in new[] { (1e-30, 1e-20), (1e-30, 1e-10), (1e30, 1e20), (1e30, 1e5) })
            Add($"lr {lr} outputLrScale {k}", s => s with { LearningRates = [1e-3, lr], Optimizer = new OptimizerSpec(OutputLrScale: k) });
        foreach (var k in new[] { 1, 0, 4096 }) Add($"guesses {k}", s => s with { Estimator = new EstimatorSpec(Guesses: k) });
        Add("guesses 4097", s => s with { Estimator = new EstimatorSpec(Guesses: 4097) }, stricter: true);
        foreach (var c in new[] { 0.1, 0, 1, 1.0001, double.NaN })
            Add($"matchedCosine {c}", s => s with { Estimator = new EstimatorSpec(MatchedCosine: c) });
        foreach (var n in new[] { 0, 1, 2 })
        {
            Add($"synthetic train {n}", s => s with { Data = new DataSpec("synthetic", Train: n) });
            Add($"synthetic test {n}", s => s with { Data = new DataSpec("synthetic", Test: n) });
            Add($"synthetic features {n}", s => s with { Data = new DataSpec("synthetic", Features: n) });
        }
        var floats = new DataSpec("synthetic", Train: SweepSpecValidator.MaxSyntheticTrain, Test: 1,
            Features: (int)(SweepSpecValidator.MaxSyntheticFloats / (SweepSpecValidator.MaxSyntheticTrain + 1)) + 1);
        Add("synthetic set over the float limit", s => s with { Data = floats }, stricter: true);
        foreach (var b in new[] { 1, 0, SweepSpecValidator.MaxBatchSize }) Add($"batchSize {b}", s => s with { BatchSize = b });
        Add("batchSize over the sweep limit", s => s with { BatchSize = SweepSpecValidator.MaxBatchSize + 1 }, stricter: true);
        foreach (var e in new[] { 1, 0 }) Add($"evaluateEvery {e}", s => s with { EvaluateEvery = e });
        foreach (var c in new[] { 0, -1 }) Add($"cosineEvery {c}", s => s with { Diagnostics = new DiagnosticsSpec(c) });
        foreach (var e in new[] { 1, 0, SweepSpecValidator.MaxEpochs }) Add($"epochs {e}", s => s with { Epochs = e });
        Add("epochs over the sweep limit", s => s with { Epochs = SweepSpecValidator.MaxEpochs + 1 }, stricter: true);
        return data;

        static int[] Edge(int widest) => [widest, widest + 1];
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public void ValidatorAndTrainingCore_JudgeAValueAlike(string probe, Func<SweepSpec, SweepSpec> change, bool stricter)
    {
        var spec = change(Base);
        var specErrors = SweepSpecValidator.Validate(spec);
        var trainingError = TrainingError(spec);

        if (stricter)
        {
            // The sweep's own limit: the spec refuses it, training alone takes it (train has no such limit).
            Assert.True(specErrors.Count > 0, $"{probe}: the spec takes a value over the sweep's own limit");
            Assert.Null(trainingError);
        }
        else if (specErrors.Count == 0)
            Assert.True(trainingError is null, $"{probe}: the spec passes but every cell would fail to start: {trainingError}");
        else
            Assert.True(trainingError is not null, $"{probe}: the spec is refused ({specErrors[0]}), the training core would take it");
    }

    /// <summary>Each field of the spec's optimizer block reaches every cell's settings (a field dropped on the way would
    /// train every cell at the optimizer's default while the spec, its ids and <c>compare</c> say otherwise).</summary>
    [Fact]
    public void EveryOptimizerField_ReachesTheCellsTheyTrain()
    {
        var given = new OptimizerSpec(WeightDecay: 0.3, Momentum: 0.7, Beta1: 0.8, Beta2: 0.95, Epsilon: 1e-5, ClipThreshold: 2, OutputLrScale: 0.25);
        var spec = Base with { Methods = ["wt"], Optimizers = ["sgd", "adamw", "stable-adamw"], LearningRates = [1e-3, 1e-2], Optimizer = given };
        var cells = SweepGrid.Expand(spec).Packs.SelectMany(p => PackSpecBuilder.Build(p.ToWork(spec, null)).Cells).ToList();
        Assert.Equal(6, cells.Count);
        Assert.All(cells, c => Assert.Equal((0.3, 0.7, 0.8, 0.95, 1e-5, 2.0, (double?)0.25),
            (c.Optimizer.WeightDecay, c.Optimizer.Momentum, c.Optimizer.Beta1, c.Optimizer.Beta2, c.Optimizer.Epsilon, c.Optimizer.ClipThreshold, c.Optimizer.OutputLrScale)));
        Assert.Equal(spec.Optimizers.Count * spec.LearningRates.Count, cells.Select(c => (c.Optimizer.Kind, c.Optimizer.LearningRate)).Distinct().Count());
    }

    /// <summary>The model block's initialisation scale reaches every pack (as the optimizer block's fields reach the cells).</summary>
    [Fact]
    public void TheModelsInitScale_ReachesEveryPack()
    {
        var spec = Base with { Methods = ["wt", "backprop"], LearningRates = [1e-3, 1e-2], Model = new ModelSpec(2, 16, 0.1) };
        var packs = SweepGrid.Expand(spec).Packs.Select(p => PackSpecBuilder.Build(p.ToWork(spec, null))).ToList();
        Assert.NotEmpty(packs);
        Assert.All(packs, p => Assert.Equal(0.1, p.InitScale));
        Assert.All(SweepGrid.Expand(Base).Packs.Select(p => PackSpecBuilder.Build(p.ToWork(Base, null))), p => Assert.Null(p.InitScale));
    }

    [Fact]
    public void SharedLimits_AreTheSameNumbers()
    {
        Assert.Equal((PackSpec.MinInitScale, PackSpec.MaxInitScale), (SweepSpecValidator.MinInitScale, SweepSpecValidator.MaxInitScale));
        Assert.Equal(PackSpecChecks.MaxDepth, SweepSpecValidator.MaxDepth);
        Assert.Equal(PackSpecChecks.MaxWidth, SweepSpecValidator.MaxWidth);
        Assert.Equal(PackSpecChecks.MaxPackParameters, SweepSpecValidator.MaxPackParameters);
        Assert.Equal(Training.Optim.OptimizerSettings.MinEpsilon, SweepSpecValidator.MinEpsilon);
        // The model's input and output layers, which the pack's parameter cap counts.
        foreach (var set in SpecNames.DataSets.Where(s => s != DataSpec.SyntheticSet))
            Assert.Equal((DataShape.Published(set)!.Features, DataShape.Published(set)!.Classes), (SweepSpecValidator.Features(new DataSpec(set)), SweepSpecValidator.Classes));
        Assert.Equal(SyntheticDataset.Classes, SweepSpecValidator.Classes);
    }

    /// <summary>The first refusal of the training core's checks (pack, data, estimator) for any pack of the grid, or null.</summary>
    private static string? TrainingError(SweepSpec spec)
    {
        foreach (var pack in SweepGrid.Expand(spec).Packs)
        {
            try
            {
                var packSpec = PackSpecBuilder.Build(pack.ToWork(spec, null));
                PackSpecChecks.Validate(packSpec);
                DatasetLoader.Check(packSpec.Data);
                EstimatorFactory.Create(packSpec.Estimator);
            }
            catch (ArgumentException e)
            {
                return e.Message;
            }
        }
        return null;
    }
}
