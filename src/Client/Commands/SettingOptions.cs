using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Commands;

/// <summary>Turns the training core's refusal of a value into a usage error that names the option the user typed
/// (<c>--batch-size must be >= 1, got 0</c>), not the setting's name inside the core (<c>batchSize</c>).</summary>
internal static class SettingOptions
{
    private static readonly Dictionary<string, string> OptionOf = new(StringComparer.Ordinal)
    {
        ["depth"] = "--depth",
        ["width"] = "--width",
        ["batchSize"] = "--batch-size",
        ["epochs"] = "--epochs",
        ["evaluateEvery"] = "--evaluate-every",
        ["cosineEvery"] = "--cosine-every",
        ["guesses"] = "--guesses",
        ["matched-noise cosine"] = "--matched-cosine",
        ["learning rate"] = "--lr",
        ["weight decay"] = "--weight-decay",
        ["momentum"] = "--momentum",
        ["output lr scale"] = "--output-lr-scale",
        ["schedule"] = "--schedule",
        ["warmup epochs"] = "--warmup-epochs",
        ["init scale"] = "--init-scale",
    };

    public static UsageException Usage(ArgumentException e) =>
        new(e is InvalidSettingException s && OptionOf.TryGetValue(s.Setting, out var option) ? $"{option} {s.Problem}" : e.Message);
}
