using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Client.Planning;

/// <summary>
/// Estimator and optimizer settings that no method or optimizer of the grid reads: valid, trained as if absent, yet part
/// of every cell's id (so <c>compare</c> reports them as a difference between sweeps that trained alike). <c>train</c>
/// refuses such options; a spec is warned of them only, since a stored sweep's spec must stay accepted as it was.
/// </summary>
internal static class UnreadSettings
{
    public static IReadOnlyList<string> For(SweepSpec spec)
    {
        // A matched-noise@C method carries its own cosine (no kind): estimator.matchedCosine is read by a plain matched-noise only.
        var methods = GridKinds.Methods(spec).Select(m => m.Kind).ToList();
        var optimizers = GridKinds.Optimizers(spec).Select(o => o.Kind).ToList();
        var unread = new List<string>();
        var (est, defaults) = (spec.EstimatorOrDefault, new EstimatorSpec());
        void Estimator(string key, bool set, Func<EstimatorKind, bool> reads, string readers)
        {
            if (set && !methods.Any(reads)) unread.Add($"estimator.{key}: no method of the grid reads it ({readers})");
        }
        Estimator("guesses", est.Guesses != defaults.Guesses, k => k.Guesses(), "backprop and matched-noise draw no guess");
        var activation = EstimatorNames.ActivationSpace + " do";
        Estimator("normalise", est.Normalise is not null, k => k.ActivationSpace(), activation);
        Estimator("onePass", est.OnePass != defaults.OnePass, k => k.ActivationSpace(), activation);
        Estimator("matchedCosine", est.MatchedCosine != defaults.MatchedCosine, k => k == EstimatorKind.MatchedNoise,
            "only matched-noise does; matched-noise@C has its own");

        var opt = spec.OptimizerOrDefault;
        foreach (var (key, field, set) in new[]
                 {
                     ("momentum", nameof(OptimizerSettings.Momentum), opt.Momentum is not null),
                     ("beta1", nameof(OptimizerSettings.Beta1), opt.Beta1 is not null),
                     ("beta2", nameof(OptimizerSettings.Beta2), opt.Beta2 is not null),
                     ("epsilon", nameof(OptimizerSettings.Epsilon), opt.Epsilon is not null),
                     ("clipThreshold", nameof(OptimizerSettings.ClipThreshold), opt.ClipThreshold is not null),
                 })
        {
            if (!set || optimizers.Any(k => OptimizerSettings.Reads(k, field))) continue;
            var readers = OptimizerNames.All.Where(n => OptimizerNames.TryParse(n, out var k) && OptimizerSettings.Reads(k, field));
            unread.Add($"optimizer.{key}: no optimizer of the grid reads it (only {string.Join(" and ", readers)} {(readers.Count() == 1 ? "does" : "do")})");
        }
        return unread.Select(u => u + "; it changes the cells' ids, not their training").ToList();
    }
}
