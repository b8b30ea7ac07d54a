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
    [InlineData(new[] { "submit", "smoke.yaml", "--gatway", "127.0.0.1:21230" }, "unknown option '--gatway' (did you mean '--gateway'? see gradguess submit --help)")]
    [InlineData(new[] { "status", "s", "--bogus", "1" }, "unknown option '--bogus' (see gradguess status --help)")]
    [InlineData(new[] { "cancel", "s", "extra" }, "unexpected argument 'extra' (see gradguess cancel --help)")]
    // A priority out of range, or no number, is refused before connecting.
    [InlineData(new[] { "priority", "s", "0" }, "PRIORITY: must be a whole number from 1 to 100 (the default is 1), got 0")]
    [InlineData(new[] { "submit", "smoke.yaml", "--priority", "101" }, "--priority: must be a whole number from 1 to 100 (the default is 1), got 101")]
    [InlineData(new[] { "priority", "s", "high" }, "Cannot parse argument 'high' for command 'priority' as an integer.")]
    public void AStrayOrBadTokenOfAVerb_IsRefusedInOneLine_NamingOnlyTheFirst(string[] args, string message)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: " + message, Assert.Single(r.StderrLines));
    }

    // A new user's slips, each said by name: what is missing, the option whose value is wrong, the verb or option a
    // typo was probably meant as.
    [Theory]
    [InlineData(new[] { "results", "--state-dir", "x" }, "missing SWEEP (see gradguess results --help)")]
    [InlineData(new[] { "train", "--data", "synthetic", "--method", "wt" }, "missing --optimizer and --lr (see gradguess train --help)")]
    [InlineData(new[] { "results", "s", "--metric", "testAcc" }, "--metric: Argument 'testAcc' not recognized. Must be one of: 'trainAccuracy', 'testAccuracy'")]
    [InlineData(new[] { "reslts", "s" }, "unknown command 'reslts' (did you mean 'results'? see gradguess --help)")]
    [InlineData(new[] { "train", "--epoch", "2" }, "unknown option '--epoch' (did you mean '--epochs'? see gradguess train --help)")]
    [InlineData(new[] { "status", "--stat-dir", "x" }, "unknown option '--stat-dir' (did you mean '--state-dir'? see gradguess status --help)")]
    // An option of another verb's, under the name that verb gives it: local's --cpu-slots is plan's --slots, and back.
    [InlineData(new[] { "plan", "s.yaml", "--measure", "--cpu-slots", "2" }, "unknown option '--cpu-slots' (did you mean '--slots'? see gradguess plan --help)")]
    [InlineData(new[] { "local", "s.yaml", "--slots", "2" }, "unknown option '--slots' (did you mean '--cpu-slots'? see gradguess local --help)")]
    public void ASlip_IsNamed_WithWhatWasMeant(string[] args, string message)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: " + message, Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData(new[] { "silo", "--bogus", "1" }, "unknown option '--bogus' (other")]
    [InlineData(new[] { "silo", "plain" }, "unexpected argument 'plain' (other")]
    [InlineData(new[] { "silo", "--cpu-trainng" }, "unknown option '--cpu-trainng' (did you mean '--cpu-training'? other")]
    public void Silo_StrayTokenThatIsNoSetting_IsRefusedNamingTheSettingsForm(string[] args, string message)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: silo: {message} settings go as --GradGuess:Key=value)", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void SiloHelp_NamesThePassThroughSettings_WithBalancedBrackets()
    {
        var r = CliRunner.Run("silo", "--help");
        Assert.Equal(0, r.ExitCode);
        var usage = r.Stdout.Split('\n').SkipWhile(l => !l.StartsWith("Usage:", StringComparison.Ordinal)).Skip(1).First().Trim();
        Assert.Equal("gradguess silo [<--GradGuess:Key=value>...] [options]", usage);
        Assert.Contains("--GradGuess:Membership:ProbeTimeout=00:00:02", r.Stdout);
        Assert.DoesNotContain("application that is being run", r.Stdout);
    }

    [Fact]
    public void NoCommand_SaysSoAndPointsAtHelp()
    {
        var r = CliRunner.Run();
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: no command given (see gradguess --help)", Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData(new[] { "status", "--bogus" }, "unknown option '--bogus'")]               // an optional SWEEP swallowed it
    [InlineData(new[] { "results", "Bad/Name" }, "SWEEP: 'Bad/Name' must use only lower-case")]
    [InlineData(new[] { "cancel", "../x" }, "SWEEP: '../x' must use only lower-case")]
    public void BadSweepArgument_FailsWhileParsing_BeforeAnyConnection(string[] args, string message)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, Assert.Single(r.StderrLines));
        Assert.DoesNotContain("gateway", r.Stderr);
    }

    // Durations a timer cannot take (overflow, or past Task.Delay's limit), or a poll in a tight loop, and an empty
    // directory path, are refused while parsing: no connection attempt (the gateway is a closed port), exit 2.
    [Theory]
    [InlineData(new[] { "watch", "s", "--interval", "1e300" }, "--interval must be from 0.05 to 86400 seconds (a day), got 1e300")]
    [InlineData(new[] { "watch", "s", "--interval", "Infinity" }, "--interval must be from 0.05 to 86400 seconds (a day), got Infinity")]
    [InlineData(new[] { "watch", "s", "--interval", "1e-8" }, "--interval must be from 0.05 to 86400 seconds (a day), got 1e-8")]
    [InlineData(new[] { "status", "--connect-timeout", "5000000" }, "--connect-timeout must be from 0.05 to 86400 seconds (a day), got 5000000")]
    [InlineData(new[] { "status", "--connect-timeout", "0" }, "--connect-timeout must be from 0.05 to 86400 seconds (a day), got 0")]
    [InlineData(new[] { "local", "missing.yaml", "--state-dir", "" }, "--state-dir: give a directory, not an empty path")]
    [InlineData(new[] { "results", "s", "--state-dir", "" }, "--state-dir: give a directory, not an empty path")]
    public void ImpossibleDurationOrEmptyPath_IsRefusedWhileParsing(string[] args, string message)
    {
        var port = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts.Next();   // nothing listens there
        var environment = new Dictionary<string, string?>(CliRunner.NoClusterEnvironment) { ["GRADGUESS_GATEWAY"] = $"127.0.0.1:{port}" };
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: " + message, Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData(new[] { "silo", "--cpu-slots", "abc" }, "Cannot parse argument 'abc' for option '--cpu-slots' as an integer.")]
    [InlineData(new[] { "train", "--optimizer", "sgd", "--lr", "fast" }, "Cannot parse argument 'fast' for option '--lr' as a number.")]
    public void ValueOfTheWrongType_NamesTheKindNotTheClrType(string[] args, string message)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: " + message, Assert.Single(r.StderrLines));
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

    // A token with a terminal escape sequence (clear screen, set title, bell, vertical tab) was echoed as it was typed.
    [Theory]
    [InlineData(new[] { "train", "--x\u001b[2J" }, "unknown option '--x?[2J'")]
    [InlineData(new[] { "export", "s", "--format", "\u001b[2Jcsv" }, "--format: expected csv or json, got '?[2Jcsv'")]
    [InlineData(new[] { "train", "--data", "synthetic", "--optimizer", "sgd", "--lr", "0.1", "--device", "\u0007cpu\u000b" }, "--device: expected cpu or cuda:N, got '?cpu?'")]
    [InlineData(new[] { "local", "/nonexistent/\u001b]0;title\u0007.yaml" }, "/nonexistent/?]0;title?.yaml")]
    public void ATokenWithControlCharacters_IsEchoedWithoutThem(string[] args, string shown)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.Contains(shown, line);
        Assert.DoesNotContain(r.Stderr.TrimEnd('\n'), char.IsControl);
    }
}
