using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary>A bad cluster address is blamed on where it came from: the option or the environment variable.</summary>
public sealed class GatewayOptionTests
{
    [Theory]
    [InlineData(false, "gradguess: --gateway: expected host:port, got 'garbage'")]
    [InlineData(true, "gradguess: GRADGUESS_GATEWAY: expected host:port, got 'garbage'")]
    [InlineData(false, "gradguess: --gateway: expected host:port, got 'http://silo:30000'", "http://silo:30000")]
    [InlineData(false, "gradguess: --gateway: expected host:port, got ':30000'", ":30000")]
    [InlineData(false, "gradguess: --gateway: expected host:port (an IPv6 address as [address]:port), got '2001:db8::5'", "2001:db8::5")]
    [InlineData(true, "gradguess: GRADGUESS_GATEWAY: expected host:port (an IPv6 address as [address]:port), got '::1:30000'", "::1:30000")]
    [InlineData(false, "gradguess: --gateway: expected host:port (an IPv6 address as [address]:port), got '[silo]:30000'", "[silo]:30000")]
    public void BadGateway_NamesItsSource(bool fromEnvironment, string expected, string gateway = "garbage")
    {
        var environment = new Dictionary<string, string?> { ["GRADGUESS_GATEWAY"] = fromEnvironment ? gateway : null, ["GRADGUESS_REDIS"] = null };
        string[] args = fromEnvironment ? ["status"] : ["status", "--gateway", gateway];
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(expected, Assert.Single(r.StderrLines));
    }

    [Fact]
    public void AnIPv6GatewayInBrackets_IsTried()
    {
        var environment = new Dictionary<string, string?> { ["GRADGUESS_GATEWAY"] = null, ["GRADGUESS_REDIS"] = null };
        var port = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts.Next();   // nothing listens there
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, "status", "--gateway", $"[::1]:{port}", "--connect-timeout", "1");
        Assert.Equal(1, r.ExitCode);   // unreachable, not refused as no host:port
        Assert.Contains($"{port}", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void GatewayOption_OverridesRedisFromTheEnvironment()
    {
        var environment = new Dictionary<string, string?> { ["GRADGUESS_REDIS"] = "127.0.0.1:6379", ["GRADGUESS_GATEWAY"] = null };
        var port = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts.Next();   // nothing listens there
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, "status", "--gateway", $"127.0.0.1:{port}", "--connect-timeout", "1");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.Contains($"127.0.0.1:{port}", line);   // it tried the gateway, not Redis
        Assert.DoesNotContain("6379", line);
    }

    [Theory]
    [InlineData(true, "gradguess: --gateway and --redis: give one way to find the cluster, not both")]
    [InlineData(false, "gradguess: GRADGUESS_GATEWAY and GRADGUESS_REDIS: give one way to find the cluster, not both")]
    public void TwoWaysAtTheSameLevel_AreRefused(bool options, string expected)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GRADGUESS_REDIS"] = options ? null : "127.0.0.1:6379", ["GRADGUESS_GATEWAY"] = options ? null : "127.0.0.1:30000",
        };
        string[] args = options ? ["status", "--gateway", "127.0.0.1:30000", "--redis", "127.0.0.1:6379"] : ["status"];
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(expected, Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData("status", "--gateway", "127.0.0.1:30000")]
    [InlineData("delete", "--connect-timeout", "5")]
    public void StateDirWithAClusterOption_IsRefusedInsteadOfIgnored(string verb, string option, string value)
    {
        string[] args = verb == "delete" ? ["delete", "s", "--yes"] : [verb];
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment, [.. args, "--state-dir", "/nonexistent", option, value]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: --state-dir and {option}: a local state directory is read without a cluster; give one or the other",
            Assert.Single(r.StderrLines));
    }
}
