using System.CommandLine;
using System.CommandLine.Parsing;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Commands;

/// <summary>The SWEEP argument of the verbs that read or steer a sweep, checked as a sweep name while parsing: a typo'd
/// option (which an optional SWEEP would otherwise swallow) or an impossible name fails at once, before any
/// connection attempt.</summary>
internal static class SweepArgument
{
    public static Argument<string> Required(string name = "SWEEP", string description = "Sweep name") =>
        Checked(new Argument<string>(name) { Description = description });

    public static Argument<string?> Optional(string description) =>
        Checked(new Argument<string?>("SWEEP") { Description = description, Arity = ArgumentArity.ZeroOrOne });

    /// <summary>An option naming another sweep (<c>--against B</c>), checked as a sweep name while parsing.</summary>
    public static Option<string?> Option(string name, string description, string? helpName = null)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = helpName };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && SweepNames.Problem(result.Tokens[0].Value) is { } problem) result.AddError($"{name}: {problem}");
        });
        return option;
    }

    private static T Checked<T>(T argument) where T : Argument
    {
        argument.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            var value = result.Tokens[0].Value;
            if (value.StartsWith('-')) result.AddError($"unknown option '{value}'");
            else if (SweepNames.Problem(value) is { } problem) result.AddError($"{argument.Name}: {problem}");
        });
        return argument;
    }
}
