using System.CommandLine;

namespace GradGuessCluster.Client.Commands;

/// <summary>What a table-printing verb (results, compare) writes on stdout.</summary>
internal enum TableFormat { Terminal, Json, Markdown }

/// <summary><c>--json</c> and <c>--markdown</c> of the verbs that print a table: one of them, or neither for the
/// terminal table.</summary>
internal sealed class TableFormatOptions(string markdownDescription)
{
    private readonly Option<bool> _json = new("--json") { Description = "JSON on stdout" };
    private readonly Option<bool> _markdown = new("--markdown") { Description = markdownDescription };

    public void AddTo(Command command)
    {
        command.Options.Add(_json);
        command.Options.Add(_markdown);
    }

    /// <summary>The format asked for; both options at once are refused (exit 2) before anything is read.</summary>
    public TableFormat Read(ParseResult parse) => (parse.GetValue(_json), parse.GetValue(_markdown)) switch
    {
        (true, true) => throw new UsageException("--json and --markdown: choose one"),
        (true, false) => TableFormat.Json,
        (false, true) => TableFormat.Markdown,
        _ => TableFormat.Terminal,
    };
}
