using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary>A bad cluster address is blamed on where it came from: the option or the environment variable.</summary>
public sealed class GatewayOptionTests
{
    [Theory]
    [InlineData(false, "gradguess: --gateway: expected host:port, got 'garbage'")]
    [InlineData(true, "gradguess: GRADGUESS_GATEWAY: expected host:port, got 'garbage'")]
    public void BadGateway_NamesItsSource(bool fromEnvironment, string expected)
    {
        var environment = new Dictionary<string, string?> { ["GRADGUESS_GATEWAY"] = fromEnvironment ? "garbage" : null, ["GRADGUESS_REDIS"] = null };
        string[] args = fromEnvironment ? ["status"] : ["status", "--gateway", "garbage"];
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(expected, Assert.Single(r.StderrLines));
    }

    [Fact]
    public void RedisFromTheEnvironmentWithGatewayOption_NamesTheVariable()
    {
        var environment = new Dictionary<string, string?> { ["GRADGUESS_REDIS"] = "127.0.0.1:6379" };
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, "status", "--gateway", "127.0.0.1:30000");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: --gateway and GRADGUESS_REDIS: give one way to find the cluster, not both", Assert.Single(r.StderrLines));
    }
}
