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
            new EstimatorSettings(EstimatorNames.Parse(SpecNames.BaseMethod(first.Method)), est.Guesses, est.OnePass, est.Normalise,
                SpecNames.MatchedNoiseCosine(first.Method) ?? est.MatchedCosine),
            s.BatchSize, s.Epochs,
            DataSeed: first.Seed,
            Cells: work.Cells.Select(c => new CellSettings(Optimizer(c.Config, s.OptimizerOrDefault), c.Config.Seed)).ToArray(),
            EvaluateEvery: s.EvaluateEvery,
            CosineEvery: diag.CosineEvery,
            EffectiveRank: diag.EffectiveRank,
            InitScale: s.Model.InitScale);
    }

    private static OptimizerSettings Optimizer(CellConfig cell, OptimizerSpec spec)
    {
        var d = OptimizerSettings.Default(OptimizerNames.Parse(cell.Optimizer), cell.LearningRate);
        return d with
        {
            WeightDecay = spec.WeightDecay ?? d.WeightDecay,
            Momentum = spec.Momentum ?? d.Momentum,
            Beta1 = spec.Beta1 ?? d.Beta1,
            Beta2 = spec.Beta2 ?? d.Beta2,
            Epsilon = spec.Epsilon ?? d.Epsilon,
            ClipThreshold = spec.ClipThreshold ?? d.ClipThreshold,
            OutputLrScale = spec.OutputLrScale,
        };
    }
}
