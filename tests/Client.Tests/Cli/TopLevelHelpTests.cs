using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary><c>gradguess --help</c>'s verb list writes each verb's arguments as the verb's own usage line does: an
/// optional one in brackets, one taking several values with "...".</summary>
public sealed class TopLevelHelpTests
{
    private static readonly string[] Verbs =
        ["train", "local", "silo", "plan", "submit", "status", "slots", "watch", "results", "compare", "refine", "confirm", "diagnostics", "inspect", "weights", "export", "plot", "report", "cancel",
         "resume", "priority", "delete", "completion", "doctor"];

    [Fact]
    public void TopLevelHelp_ListsOptionalArgumentsInBrackets()
    {
        var rows = VerbRows();
        Assert.Equal("status [<SWEEP>]", rows["status"]);
        Assert.Equal("priority <SWEEP> [<PRIORITY>]", rows["priority"]);
        Assert.Equal("silo [<--GradGuess:Key=value>...]", rows["silo"]);
        Assert.Equal("compare <A> <B>", rows["compare"]);
        Assert.Equal("watch <SWEEP>", rows["watch"]);
        // Named by the values it accepts, as before (its own usage line names it <set>).
        Assert.Equal("download <cifar10|fashion-mnist|mnist>", rows["download"]);
    }

    [Fact]
    public void TopLevelHelp_EachVerbsRowMatchesItsOwnUsageLine()
    {
        var rows = VerbRows();
        // Every verb is either checked here or left out on purpose: download's row names its values (above), and bench's
        // subcommands show as [command] in its usage line only. A new verb fails this until it is placed.
        Assert.Equal(Verbs.Append("download").Append("bench").Order(), rows.Keys.Order());
        foreach (var verb in Verbs)
        {
            var help = CliRunner.Run(verb, "--help");
            Assert.Equal(0, help.ExitCode);
            var lines = help.Stdout.ReplaceLineEndings("\n").Split('\n');
            var usage = lines[Array.IndexOf(lines, "Usage:") + 1].Trim();
            Assert.StartsWith("gradguess ", usage);
            Assert.EndsWith(" [options]", usage);
            Assert.Equal(usage["gradguess ".Length..^" [options]".Length], rows[verb]);
        }
    }

    /// <summary>The first column of each row under "Commands:" in <c>gradguess --help</c>, by verb.</summary>
    private static Dictionary<string, string> VerbRows()
    {
        var help = CliRunner.Run("--help");
        Assert.Equal(0, help.ExitCode);
        var lines = help.Stdout.ReplaceLineEndings("\n").Split('\n');
        var rows = new Dictionary<string, string>();
        foreach (var line in lines.SkipWhile(l => l != "Commands:").Skip(1).TakeWhile(l => l.Length > 0))
        {
            var columns = line.Trim().Split("  ", 2);
            rows[columns[0].Split(' ')[0]] = columns[0];
        }
        return rows;
    }
}
