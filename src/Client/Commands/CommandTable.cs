using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text;

namespace GradGuessCluster.Client.Commands;

/// <summary>Every verb of the CLI, one class each in this folder.</summary>
internal static class CommandTable
{
    public static IEnumerable<Command> Create()
    {
        yield return new TrainCommand();
        yield return new BenchCommand([new BenchOrchestrationCommand(), new BenchStartupCommand()]);
        yield return new LocalCommand();
        yield return new DownloadCommand();
        yield return new DoctorCommand();
        yield return new SiloCommand();
        yield return new PlanCommand();
        yield return new SubmitCommand();
        yield return new StatusCommand();
        yield return new SlotsCommand();
        yield return new WatchCommand();
        yield return new ResultsCommand();
        yield return new CompareCommand();
        yield return new RefineCommand();
        yield return new ConfirmCommand();
        yield return new DiagnosticsCommand();
        yield return new InspectCommand();
        yield return new WeightsCommand();
        yield return new ExportCommand();
        yield return new PlotCommand();
        yield return new ReportCommand();
        yield return new CancelCommand();
        yield return new ResumeCommand();
        yield return new PriorityCommand();
        yield return new DeleteCommand();
        yield return new CompletionCommand();
    }
}

/// <summary>
/// <c>gradguess --help</c>: System.CommandLine's help, whose verb list names every argument as <c>&lt;X&gt;</c> whatever
/// its arity, with that list written the way each verb's own usage line writes its arguments: an optional one in
/// brackets (<c>status [&lt;SWEEP&gt;]</c>), one taking several values with <c>...</c>. A verb's own help is untouched.
/// </summary>
internal sealed class TopLevelHelpAction : SynchronousCommandLineAction
{
    private const string Heading = "Commands:";
    private readonly HelpOption _option;
    private readonly HelpAction _standard;

    private TopLevelHelpAction(HelpOption option, HelpAction standard) => (_option, _standard) = (option, standard);

    public static void Install(RootCommand root)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        option.Action = new TopLevelHelpAction(option, (HelpAction)option.Action!);
    }

    /// <summary>As the standard action's: help is asked for, so a verb's missing argument is no error (<c>watch --help</c>).</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parse)
    {
        if (parse.CommandResult.Command is not RootCommand root) return _standard.Invoke(parse);
        var standard = new StringWriter();
        _option.Action = _standard;
        try
        {
            root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = standard });
        }
        finally
        {
            _option.Action = this;
        }
        parse.InvocationConfiguration.Output.Write(Rewrite(standard.ToString(), root, _standard.MaxWidth));
        return 0;
    }

    /// <summary>The help text with its verb list (from <see cref="Heading"/> to the next blank line) written anew.</summary>
    internal static string Rewrite(string help, Command root, int maxWidth)
    {
        var lines = help.ReplaceLineEndings("\n").Split('\n').ToList();
        int start = lines.IndexOf(Heading);
        if (start < 0) return help;
        int end = lines.FindIndex(start + 1, l => l.Length == 0);
        if (end < 0) end = lines.Count;
        var rows = root.Subcommands.Where(c => !c.Hidden).Select(c => (Label: Label(c), Description: c.Description ?? "")).ToList();
        int column = 2 + rows.Max(r => r.Label.Length) + 2;
        var list = new List<string>();
        foreach (var (label, description) in rows)
        {
            var wrapped = Wrap(description, maxWidth - column);
            list.Add(("  " + label).PadRight(column) + wrapped[0]);
            list.AddRange(wrapped.Skip(1).Select(w => new string(' ', column) + w));
        }
        lines.RemoveRange(start + 1, end - start - 1);
        lines.InsertRange(start + 1, list);
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The verb and its arguments as its usage line writes them: an optional argument opens a bracket that
    /// closes at the end (<c>[&lt;A&gt; [&lt;B&gt;]]</c>), <c>...</c> follows one that takes several values. Each
    /// argument is named as the standard list names it: its help name, else the values it accepts, else its name.</summary>
    internal static string Label(Command command)
    {
        var label = new StringBuilder(command.Name);
        int open = 0;
        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            label.Append(' ');
            if (argument.Arity.MinimumNumberOfValues == 0)
            {
                label.Append('[');
                open++;
            }
            label.Append('<').Append(ArgumentName(argument)).Append('>');
            if (argument.Arity.MaximumNumberOfValues > 1) label.Append("...");
        }
        return label.Append(']', open).ToString();
    }

    private static string ArgumentName(Argument argument)
    {
        if (!string.IsNullOrEmpty(argument.HelpName)) return argument.HelpName;
        var values = argument.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToArray();
        return values.Length > 0 ? string.Join("|", values) : argument.Name;
    }

    private static List<string> Wrap(string text, int width)
    {
        if (width < 20) return [text];   // no room (or no limit: int.MaxValue minus the column is still wide)
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return lines;
    }
}
