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

    [Fact]
    public void Download_ThatFails_LeavesNoDirectoryItMade()
    {
        var dir = Path.Combine(_dir, "new");
        var r = CliRunner.Run("download", "mnist", "--dir", dir, "--base-url", "http://127.0.0.1:9/");   // nothing listens
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("127.0.0.1:9", r.Stderr);
        Assert.False(Directory.Exists(dir), "the failed download left the directory it made");
        Directory.CreateDirectory(dir);   // one that was there stays
        Assert.Equal(1, CliRunner.Run("download", "mnist", "--dir", dir, "--base-url", "http://127.0.0.1:9/").ExitCode);
        Assert.True(Directory.Exists(dir));
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
