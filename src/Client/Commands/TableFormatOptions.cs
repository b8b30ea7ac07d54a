using System.CommandLine;

namespace GradGuessCluster.Client.Commands;

/// <summary>What a table-printing verb (results, compare, diagnostics) writes on stdout.</summary>
internal enum TableFormat { Terminal, Json, Markdown, Latex }

/// <summary><c>--json</c>, <c>--markdown</c> and, where the verb has a paper's table, <c>--latex</c>: one of them, or
/// none for the terminal table.</summary>
internal sealed class TableFormatOptions(string markdownDescription, string? latexDescription = null)
{
    private readonly Option<bool> _json = new("--json") { Description = "JSON on stdout" };
    private readonly Option<bool> _markdown = new("--markdown") { Description = markdownDescription };
    private readonly Option<bool>? _latex = latexDescription is null ? null : new("--latex") { Description = latexDescription };

    public void AddTo(Command command)
    {
        command.Options.Add(_json);
        command.Options.Add(_markdown);
        if (_latex is not null) command.Options.Add(_latex);
    }

    /// <summary>The format asked for; two at once are refused (exit 2) before anything is read.</summary>
    public TableFormat Read(ParseResult parse)
    {
        var asked = new (Option<bool>? Option, TableFormat Format)[] { (_json, TableFormat.Json), (_markdown, TableFormat.Markdown), (_latex, TableFormat.Latex) }
            .Where(o => o.Option is not null && parse.GetValue(o.Option)).ToList();
        return asked switch
        {
            [] => TableFormat.Terminal,
            [var one] => one.Format,
            _ => throw new UsageException($"{string.Join(" and ", asked.Select(o => o.Option!.Name))}: choose one"),
        };
    }
}
