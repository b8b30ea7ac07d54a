using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Tests.IO;

public sealed class DirectorySyncTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-dirsync-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ADirectory_IsSynced() => DirectorySync.Sync(_dir);

    [Fact]
    public void AMissingDirectory_IsRefusedByName()
    {
        var missing = Path.Combine(_dir, "gone");
        var e = Assert.Throws<IOException>(() => DirectorySync.Sync(missing));
        Assert.Equal($"cannot sync directory {missing}: No such file or directory", e.Message);
    }

    [Fact]
    public void AFile_IsNotADirectory()
    {
        var file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<IOException>(() => DirectorySync.Sync(file));
        Assert.Equal($"cannot sync directory {file}: Not a directory", e.Message);
    }
}
