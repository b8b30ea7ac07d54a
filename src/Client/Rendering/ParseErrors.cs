using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using GradGuessCluster.Grains.Interfaces.Validation;

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
        // An optional SWEEP takes a mistyped option as its value, and its check refuses it ("status --stat-dir x"): that
        // option is the mistake, not the stray value after it.
        var swallowed = parse.Errors.Select(e => SwallowedOption().Match(e.Message)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        if ((swallowed ?? (command.TreatUnmatchedTokensAsErrors ? parse.UnmatchedTokens.FirstOrDefault() : null)) is { } stray)
        {
            var option = stray.StartsWith('-');
            var what = option ? "unknown option" : command is RootCommand ? "unknown command" : "unexpected argument";
            var near = option ? NearestName.FindOption(stray, OptionNames(parse.CommandResult))
                : command is RootCommand ? NearestName.Find(stray, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)) : null;
            return $"{what} '{stray}' ({(near is null ? "" : $"did you mean '{near}'? ")}see {CommandPath(parse.CommandResult)} --help)";
        }
        if (command is RootCommand && parse.Tokens.Count == 0)
            return "no command given (see gradguess --help)";
        // What is missing is said once, by name ("Required argument missing for command: 'results'." named no argument,
        // and each missing option came as a sentence of its own); other errors name their option where they do not.
        var parts = parse.Errors.Where(e => !RequiredError().IsMatch(e.Message)).Select(Named).ToList();
        if (parse.Errors.Any(e => RequiredError().IsMatch(e.Message)))
        {
            var missing = command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0 && parse.GetResult(a) is not { Tokens.Count: > 0 })
                .Select(a => a.Name)
                .Concat(command.Options.Where(o => o.Required && parse.GetResult(o) is not { Implicit: false }).Select(o => o.Name));
            parts.Insert(0, $"missing {string.Join(" and ", missing)} (see {CommandPath(parse.CommandResult)} --help)");
        }
        // "Must be one of: \t'a' \t'b'" lists the choices with tabs. Sentences joined lose their full stops (not ".;").
        var text = parts.Count == 1 ? parts[0] : string.Join("; ", parts.Select(p => p.TrimEnd('.')));
        text = ExpectedType().Replace(text, m => "as " + Kind(m.Groups[1].Value));   // not "System.Nullable`1[System.Int32]"
        return Choices().Replace(Whitespace().Replace(text, " "), "', '");
    }

    /// <summary>An option's error prefixed with the option's name where its message does not say it ("Argument 'x' not
    /// recognized. Must be one of: ..." for a --metric).</summary>
    private static string Named(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            _ => null,
        };
        return option is null || error.Message.Contains(option.Name, StringComparison.Ordinal) ? error.Message : $"{option.Name}: {error.Message}";
    }

    /// <summary>The options a verb takes, its parents' recursive ones too (--help), by their long names.</summary>
    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
            foreach (var option in c.Command.Options.Where(o => !o.Hidden && (r == result || o.Recursive)))
                foreach (var name in option.Aliases.Prepend(option.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)))
                    yield return name;
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

    [GeneratedRegex(@"^(Option '.+' is required|Required argument missing for command: '.+')\.$")]
    private static partial Regex RequiredError();

    [GeneratedRegex(@"^unknown option '(.+)'$")]
    private static partial Regex SwallowedOption();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"' '")]
    private static partial Regex Choices();
}
