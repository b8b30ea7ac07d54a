using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Client.Planning;

/// <summary>What a spec alone warns of, before any data or timing (<see cref="PlanWarnings"/> adds those): settings no
/// method or optimizer of the grid reads, methods that are one method under two names, and a start known to train
/// nothing. Warned of, not refused: a stored sweep's spec must stay accepted as it was.</summary>
internal static class SpecWarnings
{
    public static IReadOnlyList<string> For(SweepSpec spec) =>
        [.. UnreadSettings.For(spec), .. OneOracleTwice(spec), .. StalledStart(spec), .. LongWindow(spec)];

    /// <summary>A selection window reaching back over more than the last quarter of the run averages in the rise of curves
    /// still climbing, which weighs against the slower learning rates: a ranking of trend, not of noise.</summary>
    private static IEnumerable<string> LongWindow(SweepSpec spec)
    {
        // Under 'best' the window is the best run of evaluations anywhere, not the last ones.
        if (spec.SelectionOrDefault is not { Window: { } window, At: not SelectionPoint.Best } || spec.Epochs < 1 || spec.EvaluateEvery < 1) yield break;
        var held = spec.EvaluationsUpTo(spec.Epochs);
        if (window > held) yield break;   // refused by the validator already
        var full = spec.Epochs / spec.EvaluateEvery;   // the evaluations every EvaluateEvery epochs; the last may be one more
        var first = held - window + 1;
        var from = first <= full ? first * spec.EvaluateEvery : spec.Epochs;
        var share = (spec.Epochs - from + 1) / (double)spec.Epochs;
        if (share <= 0.25) yield break;
        yield return $"selection.window {window.ToString(CultureInfo.InvariantCulture)} averages epochs {from.ToString(CultureInfo.InvariantCulture)}–" +
                     $"{spec.Epochs.ToString(CultureInfo.InvariantCulture)}, the last {(100 * share).ToString("F0", CultureInfo.InvariantCulture)} % of the run: where the curves still climb it " +
                     "weighs against the slower learning rates; a window over the plateau reads the noise without the trend (docs/STUDY.md, " +
                     "\"Choosing the learning rate over a window\")";
    }

    /// <summary>A plain <c>matched-noise</c> trains at <c>estimator.matchedCosine</c> (0.1 unless given); a
    /// <c>matched-noise@C</c> at that same cosine trains the same cells bit for bit under another name: twice the time,
    /// and two rows of results that only look like two findings.</summary>
    private static IEnumerable<string> OneOracleTwice(SweepSpec spec)
    {
        if (!spec.Methods.Contains(SpecNames.MatchedNoise)) yield break;
        var cosine = spec.EstimatorOrDefault.MatchedCosine;
        if (spec.Methods.FirstOrDefault(m => SpecNames.MatchedNoiseCosine(m) == cosine) is not { } twin) yield break;
        yield return $"methods: {SpecNames.MatchedNoise} (estimator.matchedCosine {cosine.ToString("R", CultureInfo.InvariantCulture)}) " +
                     $"and {twin} are the same oracle: the grid trains their cells twice, alike, under two names; drop one";
    }

    /// <summary>W^T (or downstream or activation mixing, unnormalised) with one tangent pass per layer near the origin,
    /// under an Adam variant, stays at chance (<see cref="OriginStall"/>): whole rows, found only by reading the curves.</summary>
    private static IEnumerable<string> StalledStart(SweepSpec spec)
    {
        // Any rate the grid trains: the stall does not depend on it.
        if (spec.LearningRates.Concat(spec.RowRatesOrEmpty.SelectMany(r => r.LearningRates)).FirstOrDefault() is not (> 0 and var lr)) yield break;
        var est = spec.EstimatorOrDefault;
        var (methods, optimizers) = (GridKinds.Methods(spec), GridKinds.Optimizers(spec));
        // As the cells would train: the same settings the silo builds a pack from.
        bool Risks((string Name, EstimatorKind) m, (string Name, OptimizerKind) o) => OriginStall.Risks(PackSpecBuilder.Estimator(m.Name, est),
            PackSpecBuilder.Optimizer(o.Name, lr, spec.OptimizerOrDefault, spec.Epochs), spec.Model.Depth, spec.Model.InitScale);
        var stalled = methods.Where(m => optimizers.Any(o => Risks(m, o))).Select(m => m.Name).ToList();
        if (stalled.Count == 0) yield break;
        var under = optimizers.Where(o => methods.Any(m => Risks(m, o))).Select(o => o.Name);
        yield return $"{string.Join(", ", stalled)} with one tangent pass per layer (estimator.onePass: false), unnormalised, from model.initScale " +
                     $"{spec.Model.InitScale!.Value.ToString("R", CultureInfo.InvariantCulture)} at depth {spec.Model.Depth}: under " +
                     $"{string.Join(" and ", under)} the hidden layers' updates fall below the optimizer's epsilon and these cells may stay at " +
                     "chance; estimator.normalise: true or one pass trains them, and so does a far smaller optimizer.epsilon (docs/STUDY.md, " +
                     "\"One tangent pass or one per layer\")";
    }
}
