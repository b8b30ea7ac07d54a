using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary><c>plot</c> and <c>export</c> refuse the image size and output file the user gave before connecting and
/// reading every curve: with no cluster there (a closed port), the usage error comes at once, not the connection's.</summary>
public sealed class OutputOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-out-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("plot", "missing/a.png", "", "--out: directory")]
    [InlineData("plot", "a.png", "--width=100", "--width must be from 300 to 10000 pixels, got 100")]
    [InlineData("plot", "a.png", "--height=50000", "--height must be from 200 to 10000 pixels, got 50000")]
    [InlineData("export", "missing/a.csv", "", "--out: directory")]
    [InlineData("export", "", "", "--out: give a file, not an empty path")]
    public void BadOutput_IsRefusedBeforeConnecting(string verb, string relative, string extra, string message)
    {
        var port = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts.Next();   // nothing listens there
        string[] args = [verb, "s", "--out", relative == "" ? "" : Path.Combine(_dir, relative), "--gateway", $"127.0.0.1:{port}", "--connect-timeout", "10"];
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment, extra == "" ? args : [.. args, extra]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("gradguess: " + message, Assert.Single(r.StderrLines));
    }
}
