using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary>System.CommandLine's parse errors reach the user as one clean line, exit 2.</summary>
public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("nosuchverb", "command")]
    [InlineData("--nosuch", "option")]
    public void UnknownVerb_SaysSoAndPointsAtHelp(string token, string kind)
    {
        var r = CliRunner.Run(token);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: unknown {kind} '{token}' (see gradguess --help)", Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData(new[] { "results", "s", "--metric", "loss" }, "'trainAccuracy', 'testAccuracy'")]
    [InlineData(new[] { "download", "foo" }, "'mnist', 'fashion-mnist', 'cifar10'")]
    public void ValueNotAmongTheChoices_ListsThemWithoutTabs(string[] args, string choices)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.EndsWith("Must be one of: " + choices, line);
        Assert.DoesNotContain('\t', line);
        Assert.DoesNotContain("  ", line);
    }
}
