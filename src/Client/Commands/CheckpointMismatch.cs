using System.Text.RegularExpressions;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Client.Commands;

/// <summary>A checkpoint of another configuration, refused by the trainer in its own terms ("Estimator.Kind: stored
/// \"WTranspose\", now \"Backprop\""): the method and optimizer are said as <c>train</c>'s options name them.</summary>
internal static partial class CheckpointMismatch
{
    public static CheckpointCorruptException InCliTerms(CheckpointCorruptException e)
    {
        var prefix = $"checkpoint {e.FilePath}: ";
        if (!e.Message.StartsWith(prefix, StringComparison.Ordinal)) return e;
        var problem = KindChange().Replace(e.Message[prefix.Length..], m =>
        {
            bool method = m.Groups["what"].Value == "Estimator";
            string? Name(string kind) => method
                ? Enum.TryParse<EstimatorKind>(kind, out var k) ? EstimatorNames.Name(k) : null
                : Enum.TryParse<OptimizerKind>(kind, out var o) ? OptimizerNames.Name(o) : null;
            return Name(m.Groups["stored"].Value) is { } stored && Name(m.Groups["now"].Value) is { } now
                ? $"{(method ? "--method" : "--optimizer")}: stored {stored}, now {now}" : m.Value;
        });
        return problem == e.Message[prefix.Length..] ? e : new CheckpointCorruptException(e.FilePath, problem, e);
    }

    [GeneratedRegex(@"(?:[\w\[\].]*\.)?(?<what>Estimator|Optimizer)\.Kind: stored ""(?<stored>\w+)"", now ""(?<now>\w+)""")]
    private static partial Regex KindChange();
}
