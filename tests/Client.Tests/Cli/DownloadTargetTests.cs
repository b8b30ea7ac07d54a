using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary><c>download</c> into a directory that holds other files of the set's names refuses (exit 2) instead of
/// replacing them.</summary>
public sealed class DownloadTargetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-download-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Download_OverAnotherFileOfTheSameName_ExitsTwoNamingIt_AndKeepsIt()
    {
        var theirs = Path.Combine(_dir, "train-images-idx3-ubyte.gz");
        File.WriteAllText(theirs, "someone else's data");

        var r = CliRunner.Run("download", "mnist", "--dir", _dir, "--base-url", "http://127.0.0.1:9/");   // nothing listens: refused before fetching

        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith($"gradguess: {theirs}: is there already and is not mnist's published train-images-idx3-ubyte.gz", line);
        Assert.EndsWith("download into another --dir, or move the file away", line);
        Assert.Equal("someone else's data", File.ReadAllText(theirs));
    }
}
