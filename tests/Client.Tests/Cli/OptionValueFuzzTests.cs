using System.CommandLine;
using System.CommandLine.Help;
using GradGuessCluster.Client.Commands;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary>Every option of every verb, given values that are no number, out of any range or empty, parses to errors (exit
/// 2) or to none: never an exception. A check that asked the parser for a value it could not convert aborted the process
/// (<c>refine --max-rates abc</c>, exit 134) instead of naming the option.</summary>
public sealed class OptionValueFuzzTests
{
    private static readonly string[] Values = ["abc", "", " ", "inf", "-inf", "nan", "-1", "0", "1e999", "99999999999999999999", "-0", "1,5", "0x10", "--"];

    [Fact]
    public void EveryOptionOfEveryVerb_ParsesAnyValueToErrorsOrNone_NeverThrows()
    {
        var root = new RootCommand();
        foreach (var command in CommandTable.Create()) root.Subcommands.Add(command);
        var thrown = new List<string>();
        int tried = 0;
        foreach (var (command, path) in Verbs(root, []))
            foreach (var option in command.Options.Where(o => o is not HelpOption && o.Arity.MaximumNumberOfValues > 0))
                foreach (var value in Values)
                {
                    string[] args = [.. path, .. command.Arguments.Select(_ => "x"), option.Name, value];
                    tried++;
                    try
                    {
                        root.Parse(args);
                    }
                    catch (Exception e)
                    {
                        thrown.Add($"gradguess {string.Join(' ', args)}: {e.GetType().Name}: {e.Message}");
                    }
                }
        Assert.True(tried > 500, $"only {tried} option values tried: the verbs were not all walked");
        Assert.Empty(thrown);
    }

    /// <summary>Each verb with the words that name it (bench's subcommands under "bench").</summary>
    private static IEnumerable<(Command Command, string[] Path)> Verbs(Command parent, string[] path)
    {
        foreach (var command in parent.Subcommands)
        {
            string[] named = [.. path, command.Name];
            yield return (command, named);
            foreach (var sub in Verbs(command, named)) yield return sub;
        }
    }
}
