using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Grains.Cells;

/// <summary>Turns a pack's work (sweep contracts) into the training core's <see cref="PackSpec"/>.</summary>
public static class PackSpecBuilder
{
    public static PackSpec Build(PackWork work)
    {
        var s = work.Spec;
        var first = work.Cells[0].Config;
        var est = s.EstimatorOrDefault;
        var diag = s.DiagnosticsOrDefault;
        var data = DataSetCheck.ToSource(s.Data);
        return new PackSpec(
            data, s.Model.Depth, s.Model.Width,
            Estimator(first.Method, est),
            s.BatchSize, s.Epochs,
            DataSeed: first.Seed,
            Cells: work.Cells.Select(c => new CellSettings(Optimizer(c.Config.Optimizer, c.Config.LearningRate, s.OptimizerOrDefault, s.Epochs), c.Config.Seed)).ToArray(),
            EvaluateEvery: s.EvaluateEvery,
            CosineEvery: diag.CosineEvery,
            EffectiveRank: diag.EffectiveRank,
            InitScale: s.Model.InitScale,
            InitFrom: s.Model.Init,
            InitDigest: s.Model.InitDigest);
    }

    /// <summary>How a cell of <paramref name="method"/> guesses under the spec's estimator block.</summary>
    public static EstimatorSettings Estimator(string method, EstimatorSpec est) =>
        new(EstimatorNames.Parse(SpecNames.BaseMethod(method)), est.Guesses, est.OnePass, est.Normalise,
            SpecNames.MatchedNoiseCosine(method) ?? est.MatchedCosine);

    /// <summary>A cell's optimizer: the optimizer's defaults at the cell's rate, with the spec's settings over them; a
    /// cosine schedule anneals over <paramref name="epochs"/>, the sweep's (which a cosine sweep cannot raise).</summary>
    public static OptimizerSettings Optimizer(string optimizer, double learningRate, OptimizerSpec spec, int epochs)
    {
        var d = OptimizerSettings.Default(OptimizerNames.Parse(optimizer), learningRate);
        return d with
        {
            WeightDecay = spec.WeightDecay ?? d.WeightDecay,
            Momentum = spec.Momentum ?? d.Momentum,
            Beta1 = spec.Beta1 ?? d.Beta1,
            Beta2 = spec.Beta2 ?? d.Beta2,
            Epsilon = spec.Epsilon ?? d.Epsilon,
            ClipThreshold = spec.ClipThreshold ?? d.ClipThreshold,
            OutputLrScale = spec.OutputLrScale,
            Schedule = Schedule(spec, epochs),
        };
    }

    /// <summary>The spec's learning-rate schedule over <paramref name="epochs"/>; null for a constant rate without warm-up.</summary>
    public static LrSchedule? Schedule(OptimizerSpec spec, int epochs) =>
        LrSchedule.Of(spec.Schedule is { } name && LrSchedule.TryParse(name, out var kind) ? kind : ScheduleKind.Constant, spec.WarmupEpochs ?? 0, epochs);
}
