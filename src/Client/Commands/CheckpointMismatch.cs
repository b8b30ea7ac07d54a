using System.Text.RegularExpressions;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Client.Commands;

/// <summary>A checkpoint of another configuration, refused by the trainer in its own terms ("Width: stored 16, now 32";
/// "Estimator.Kind: stored \"WTranspose\", now \"Backprop\""): said as <c>train</c>'s options name the fields and their
/// values ("--width: stored 16, now 32"; "--method: stored wt, now backprop").</summary>
internal static partial class CheckpointMismatch
{
    public static CheckpointCorruptException InCliTerms(CheckpointCorruptException e)
    {
        if (e.Differences.Count == 0) return e;
        var named = e.Differences.Select(d => (Difference: d, Field: CellIndex().Replace(d.Path, "Cells[]")))
            .Where(f => !IsHorizonOfAnotherKind(f.Field, f.Difference)
                        && Value(f.Field, f.Difference.Stored) != Value(f.Field, f.Difference.Now))   // a field left out where at its default
            .Select(f => Option(f.Field) is { } option
                ? $"{option}: stored {Value(f.Field, f.Difference.Stored)}, now {Value(f.Field, f.Difference.Now)}" : null)
            .OfType<string>().Distinct().ToList();   // --seed seeds both the data order and the cell: said once
        // Fields no option sets (AdamW's β₂ beside StableAdamW's) follow from those that differ; said only where none does.
        var said = named.Count > 0 ? string.Join("; ", named) : PackFingerprint.Describe(e.Differences, limit: int.MaxValue);
        return new CheckpointCorruptException(e.FilePath,
            "belongs to a different configuration (fingerprint mismatch): " + said +
            "; train with the options it was written with, or give another --checkpoint file", e) { Differences = e.Differences };
    }

    /// <summary>The option of <c>train</c> that sets the field (its path, any cell's as <c>Cells[]</c>), or null where none
    /// does.</summary>
    private static string? Option(string field) => field switch
    {
        "Data.Set" => "--data",
        "Depth" => "--depth",
        "Width" => "--width",
        "InitScale" => "--init-scale",
        "InitDigest" => "--init (the weights file's digest)",
        "BatchSize" => "--batch-size",
        "DataSeed" or "Cells[].Seed" => "--seed",
        "Estimator.Kind" => "--method",
        "Estimator.Guesses" => "--guesses",
        "Estimator.OnePass" => "--per-layer",
        "Estimator.Normalise" => "--normalise",
        "Estimator.MatchedCosine" => "--matched-cosine (or the C of --method matched-noise@C)",
        "Cells[].Optimizer.Kind" => "--optimizer",
        "Cells[].Optimizer.LearningRate" => "--lr",
        "Cells[].Optimizer.WeightDecay" => "--weight-decay",
        "Cells[].Optimizer.Momentum" => "--momentum",
        "Cells[].Optimizer.OutputLrScale" => "--output-lr-scale",
        "Cells[].Optimizer.Schedule.Kind" => "--schedule",
        "Cells[].Optimizer.Schedule.WarmupEpochs" => "--warmup-epochs",
        "Cells[].Optimizer.Schedule.Epochs" => "--epochs (which the cosine anneals over)",
        _ => null,
    };

    /// <summary>A cosine's horizon beside no cosine (none, or a constant schedule's 0): the schedule's kind, which differs
    /// too, says it.</summary>
    private static bool IsHorizonOfAnotherKind(string field, ConfigurationDifference d) =>
        field == "Cells[].Optimizer.Schedule.Epochs" && (d.Stored is "none" or "0" || d.Now is "none" or "0");

    /// <summary>A stored or current JSON value as the option takes it.</summary>
    private static string Value(string field, string json)
    {
        var text = json.Trim('"');
        return field switch
        {
            "Estimator.Kind" when Enum.TryParse<EstimatorKind>(text, out var k) => EstimatorNames.Name(k),
            "Cells[].Optimizer.Kind" when Enum.TryParse<OptimizerKind>(text, out var o) => OptimizerNames.Name(o),
            "Estimator.OnePass" => text switch { "true" => "off", "false" => "on", _ => text },   // --per-layer is one pass's opposite
            "Estimator.Normalise" => text switch { "true" => "on", "false" => "off", "null" => "the method's default", _ => text },
            "Cells[].Optimizer.OutputLrScale" or "InitScale" when text == "none" => "1",   // left out of the configuration where 1
            "InitDigest" when text == "none" => "drawn weights",
            "Cells[].Optimizer.Schedule.Kind" => Enum.TryParse<ScheduleKind>(text, out var s) ? LrSchedule.Name(s) : text == "none" ? "constant" : text,
            "Cells[].Optimizer.Schedule.WarmupEpochs" when text == "none" => "0",
            _ => text,
        };
    }

    [GeneratedRegex(@"^Cells\[\d+\]")]
    private static partial Regex CellIndex();
}
