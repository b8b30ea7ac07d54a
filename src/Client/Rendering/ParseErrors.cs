using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace GradGuessCluster.Client.Rendering;

/// <summary>System.CommandLine's parse errors as the one line on stderr (SPEC §7).</summary>
internal static partial class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        // A mistyped verb gives "Required command was not provided.; Unrecognized command or argument 'x'.", and a verb's
        // mistyped option "Unrecognized command or argument" for it and again for its value: the first stray token is
        // the mistake, so say that. (`silo` takes stray --Section:Key=value tokens as configuration.)
        if (command.TreatUnmatchedTokensAsErrors && parse.UnmatchedTokens.FirstOrDefault() is { } stray)
        {
            var what = stray.StartsWith('-') ? "unknown option" : command is RootCommand ? "unknown command" : "unexpected argument";
            return $"{what} '{stray}' (see {CommandPath(parse.CommandResult)} --help)";
        }
        if (command is RootCommand && parse.Tokens.Count == 0)
            return "no command given (see gradguess --help)";
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
