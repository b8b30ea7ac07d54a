using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Commands;

/// <summary>The SWEEP argument of the verbs that read or steer a sweep, checked as a sweep name while parsing: a typo'd
/// option (which an optional SWEEP would otherwise swallow) or an impossible name fails at once, before any
/// connection attempt.</summary>
internal static class SweepArgument
{
    public static Argument<string> Required(string name = "SWEEP", string description = "Sweep name") =>
        Checked(new Argument<string>(name) { Description = description, HelpName = name });

    public static Argument<string?> Optional(string description) =>
        Checked(new Argument<string?>("SWEEP") { Description = description, HelpName = "SWEEP", Arity = ArgumentArity.ZeroOrOne });

    /// <summary>An option naming another sweep (<c>--against B</c>), checked as a sweep name while parsing.</summary>
    public static Option<string?> Option(string name, string description, string? helpName = null)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = helpName ?? name.TrimStart('-') };
        option.CompletionSources.Add(StoredSweeps);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && SweepNames.Problem(result.Tokens[0].Value) is { } problem) result.AddError($"{name}: {problem}");
        });
        return option;
    }

    /// <summary>For a tab: the sweeps stored in the line's <c>--state-dir</c>, else in <c>./.gradguess</c> (the state
    /// directory the verbs fall back to); a cluster's are not listed, as a tab asks no silo. Each SWEEP names itself in
    /// help (HelpName), which would otherwise list what is stored where help runs.</summary>
    private static IEnumerable<CompletionItem> StoredSweeps(CompletionContext context)
    {
        var stateDir = context.ParseResult.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--state-dir") is { } option
            && context.ParseResult.GetResult(option) is { Tokens: [var token, ..] } ? token.Value : LocalHostOptions.DefaultStateDirectory;
        try
        {
            return LocalSweepFiles.Names(new LocalHostOptions(stateDir)).Select(name => new CompletionItem(name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return [];   // an unreadable or impossible path completes nothing, as a shell's own completion would
        }
    }

    private static T Checked<T>(T argument) where T : Argument
    {
        argument.CompletionSources.Add(StoredSweeps);
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
