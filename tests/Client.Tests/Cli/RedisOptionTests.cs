using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary>A malformed Redis address is invalid input, refused before any connection attempt, like a bad --gateway.</summary>
public sealed class RedisOptionTests
{
    [Theory]
    [InlineData(false, "foo bar", "gradguess: --redis: expected host:port, got 'foo bar'")]
    [InlineData(true, "foo bar", "gradguess: GRADGUESS_REDIS: expected host:port, got 'foo bar'")]
    [InlineData(false, "127.0.0.1:notaport", "gradguess: --redis: expected host:port, got '127.0.0.1:notaport'")]
    [InlineData(false, "127.0.0.1:6379,bogus=1", "gradguess: --redis: Keyword 'bogus' is not supported.")]
    [InlineData(false, "password=x", "gradguess: --redis: no host:port in it")]
    public void MalformedRedis_ExitsTwoNamingItsSource(bool fromEnvironment, string value, string expected)
    {
        var environment = new Dictionary<string, string?> { ["GRADGUESS_GATEWAY"] = null, ["GRADGUESS_REDIS"] = fromEnvironment ? value : null };
        string[] args = fromEnvironment ? ["status", "--connect-timeout", "1"] : ["status", "--redis", value, "--connect-timeout", "1"];
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(expected, Assert.Single(r.StderrLines));
    }
}
