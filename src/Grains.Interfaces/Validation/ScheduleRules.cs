using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>What a spec's learning-rate schedule (<c>optimizer.schedule</c>, <c>optimizer.warmupEpochs</c>) must be.</summary>
public static class ScheduleRules
{
    /// <summary>Whether the sweep's rates anneal over its epochs, so that its length is part of how every cell trains.</summary>
    public static bool Anneals(SweepSpec spec) => spec.OptimizerOrDefault.Schedule == "cosine";

    internal static void Check(SweepSpec spec, Action<string, bool, string> check)
    {
        var opt = spec.OptimizerOrDefault;
        if (opt.Schedule is { } name)
            check(SpecCanonical.ScheduleField, SpecNames.Schedules.Contains(name),
                $"unknown schedule '{SpecYamlNodes.Shorten(name)}' {NearestName.KnownList(name, SpecNames.Schedules, "constant is the default")}");
        if (opt.WarmupEpochs is { } warmup)
        {
            check(SpecCanonical.WarmupEpochsField, warmup >= 0, $"must be >= 0 (got {warmup})");
            // A warm-up as long as the run never trains at the rate its cell is named for; a cosine needs an epoch after it.
            check(SpecCanonical.WarmupEpochsField, warmup < 0 || spec.Epochs < 1 || warmup < spec.Epochs,
                $"must be fewer than epochs ({spec.Epochs}), or no epoch trains at the full learning rate (got {warmup})");
        }
        if (Smallest(spec) is not ({ } factor, var epoch)) return;
        // Every epoch's rate must still be a step in float32 (as the rates themselves, LearningRateRules).
        foreach (var lr in spec.LearningRates.Concat(spec.RowRatesOrEmpty.SelectMany(r => r.LearningRates))
                     .Where(lr => LearningRateRules.Trainable(lr) && !LearningRateRules.Trainable(lr * factor)).Take(1))
            check(opt.WarmupEpochs is > 0 && epoch == 1 ? SpecCanonical.WarmupEpochsField : SpecCanonical.ScheduleField, false,
                $"makes epoch {epoch}'s learning rate {(lr * factor).ToString("g6", CultureInfo.InvariantCulture)} ({lr.ToString("R", CultureInfo.InvariantCulture)} × {factor.ToString("g6", CultureInfo.InvariantCulture)}), 0 in float32, which training steps in");
    }

    /// <summary>The smallest multiple of the rate an epoch trains at, and that epoch (the first of a warm-up, or a cosine's
    /// last: the schedule rises, then falls), as the training core's LrSchedule computes it; null where the schedule is out
    /// of its bounds (reported apart) or trains every epoch at the rate.</summary>
    internal static (double Factor, int Epoch)? Smallest(SweepSpec spec)
    {
        var (opt, epochs) = (spec.OptimizerOrDefault, spec.Epochs);
        int warmup = opt.WarmupEpochs ?? 0;
        if (warmup < 0 || epochs < 1 || epochs > SweepSpecValidator.MaxEpochs || warmup >= epochs) return null;
        (double, int)? smallest = warmup > 0 ? (1.0 / (warmup + 1), 1) : null;
        if (Anneals(spec) && 0.5 * (1 + Math.Cos(Math.PI * (epochs - warmup - 1.0) / (epochs - warmup))) is var last && last < (smallest?.Item1 ?? 1.0))
            smallest = (last, epochs);
        return smallest;
    }
}
