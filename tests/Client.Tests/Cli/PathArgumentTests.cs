using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary>A path of the wrong kind is named with the reason in words, exit 2, not with .NET's message.</summary>
public sealed class PathArgumentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-paths-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Download_DirIsAFile_ExitsTwo()
    {
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        var r = CliRunner.Run("download", "mnist", "--dir", file, "--base-url", "http://127.0.0.1:9/");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: --dir {file}: is a file", Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("submit")]
    public void SpecIsADirectory_ExitsTwoSayingSo(string verb)
    {
        var r = CliRunner.Run(verb, _dir);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.EndsWith("cannot read the spec file: is a directory", line);
        Assert.DoesNotContain("denied", line);
    }
}
