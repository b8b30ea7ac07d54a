using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Commands;

/// <summary>A sweep's priority on the command line (<c>submit --priority N</c>, <c>priority SWEEP N</c>), checked while
/// parsing so a bad value fails before any connection attempt.</summary>
internal static class PriorityValue
{
    public const string Meaning =
        "its weight in the cluster's fair share of training slots: sweeps waiting for slots get them in proportion to their priorities";

    public static Option<int?> Option()
    {
        var option = new Option<int?>("--priority")
        {
            Description = $"Priority from 1 to {SweepPriority.Max} (default {SweepPriority.Default}): {Meaning}",
        };
        option.Validators.Add(r => Check(r, option.Name));
        return option;
    }

    public static Argument<int?> Argument()
    {
        var argument = new Argument<int?>("PRIORITY")
        {
            Description = $"The new priority, from 1 to {SweepPriority.Max} (left out: show the current one)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        argument.Validators.Add(r => Check(r, argument.Name));
        return argument;
    }

    /// <summary>Reads the token itself: a value that is no number at all is left to the parser's own error (asking the
    /// result for its value would throw instead).</summary>
    private static void Check(SymbolResult result, string name)
    {
        if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p)
            && SweepPriority.Problem(p) is { } problem)
            result.AddError($"{name}: {problem}");
    }
}
