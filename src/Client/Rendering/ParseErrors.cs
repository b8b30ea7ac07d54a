using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace GradGuessCluster.Client.Rendering;

/// <summary>System.CommandLine's parse errors as the one line on stderr (SPEC §7).</summary>
internal static partial class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        // A mistyped verb gives "Required command was not provided.; Unrecognized command or argument 'x'.": say what happened.
        if (parse.CommandResult.Command is RootCommand && parse.UnmatchedTokens.FirstOrDefault() is { } token)
            return $"unknown {(token.StartsWith('-') ? "option" : "command")} '{token}' (see gradguess --help)";
        if (parse.CommandResult.Command is RootCommand && parse.Tokens.Count == 0)
            return "no command given (see gradguess --help)";
        // A verb's mistyped option gives "Unrecognized command or argument" for it and again for its value: the
        // first stray token is the mistake. (`silo` takes stray --Section:Key=value tokens as configuration.)
        if (parse.CommandResult.Command.TreatUnmatchedTokensAsErrors && parse.UnmatchedTokens.FirstOrDefault() is { } stray)
            return $"{(stray.StartsWith('-') ? "unknown option" : "unexpected argument")} '{stray}' (see {CommandPath(parse.CommandResult)} --help)";
        // "Must be one of: \t'a' \t'b'" lists the choices with tabs.
        var text = string.Join("; ", parse.Errors.Select(e => e.Message));
        text = ExpectedType().Replace(text, m => "as " + Kind(m.Groups[1].Value));   // not "System.Nullable`1[System.Int32]"
        return Choices().Replace(Whitespace().Replace(text, " "), "', '");
    }

    /// <summary>"gradguess submit": the verb's name as typed after the program's.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
            names.Insert(0, c.Command is RootCommand ? "gradguess" : c.Command.Name);
        return string.Join(' ', names);
    }

    private static string Kind(string clrType) => clrType switch
    {
        "Int32" or "Int64" => "an integer",
        "Double" or "Single" => "a number",
        "Boolean" => "true or false",
        _ => clrType.ToLowerInvariant(),
    };

    [GeneratedRegex(@"as expected type '(?:System\.Nullable`1\[)?System\.(\w+)\]?'")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"' '")]
    private static partial Regex Choices();
}
