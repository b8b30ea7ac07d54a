using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Tests.IO;

public sealed class AtomicFileTests
{
    [Fact]
    public void Write_WhereNoFileCanBeCreated_NamesTheCallersPathNotTheTemporaryFile()
    {
        // /proc exists but takes no new files, even for root.
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText("/proc/gg-atomic.csv", "x"));
        Assert.Equal("cannot write /proc/gg-atomic.csv: cannot create a file in /proc", e.Message);
        Assert.IsType<FileNotFoundException>(e);        // the type stays: the silo's retry policy reads it
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]   // made private: a replacement at 0644 showed it to all
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupRead)]   // read-only (root may still replace it, as with >)
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Write_OverAnExistingFile_KeepsItsMode(UnixFileMode mode)
    {
        var dir = Directory.CreateTempSubdirectory("gg-atomic-").FullName;
        try
        {
            var path = Path.Combine(dir, "results.csv");
            File.WriteAllText(path, "old");
            File.SetUnixFileMode(path, mode);

            AtomicFile.WriteAllText(path, "new");

            Assert.Equal("new", File.ReadAllText(path));
            Assert.Equal(mode, File.GetUnixFileMode(path));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("c.ckpt")]
    [InlineData(null)]   // a name so long that its temporary files are named by a hash of it
    public void RemoveLeftovers_TakesOnlyTheFilesAKilledWriteOfThatPathLeft_AndByAgeWhereAsked(string? name)
    {
        var dir = Directory.CreateTempSubdirectory("gg-atomic-").FullName;
        try
        {
            var path = Path.Combine(dir, name ?? new string('c', 250));
            string? temp = null;
            // The name a write really uses, seen while it writes; a process killed then leaves that file behind.
            AtomicFile.Write(path, stream =>
            {
                temp = Directory.GetFiles(dir, "*.tmp").Single();
                stream.WriteByte(1);
            });
            File.WriteAllText(temp!, "half a file");
            var othersTemp = UnixPath.HiddenSibling(Path.Combine(dir, "other.bin"), $"{Guid.NewGuid():N}.tmp");
            File.WriteAllText(othersTemp, "another path's write");
            File.SetLastWriteTimeUtc(othersTemp, DateTime.UtcNow.AddMinutes(-11));

            Assert.Equal(0, AtomicFile.RemoveLeftovers(path, writtenBefore: DateTime.UtcNow.AddMinutes(-10)));   // too new
            File.SetLastWriteTimeUtc(temp!, DateTime.UtcNow.AddMinutes(-11));
            Assert.Equal(1, AtomicFile.RemoveLeftovers(path, writtenBefore: DateTime.UtcNow.AddMinutes(-10)));
            Assert.False(File.Exists(temp));
            Assert.True(File.Exists(path));
            Assert.True(File.Exists(othersTemp));   // another path's is not this path's to take
            Assert.Equal(0, AtomicFile.RemoveLeftovers(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>'?' and '*' are legal in a name: a search pattern would take them as wildcards, and the leftovers of
    /// <c>lr?.ckpt</c> would include a write of <c>lr1.ckpt</c> under way now.</summary>
    [Fact]
    public void RemoveLeftovers_OfANameWithWildcardCharacters_LeavesOtherPathsWrites()
    {
        var dir = Directory.CreateTempSubdirectory("gg-atomic-").FullName;
        try
        {
            var othersTemp = UnixPath.HiddenSibling(Path.Combine(dir, "lr1.ckpt"), $"{Guid.NewGuid():N}.tmp");
            File.WriteAllText(othersTemp, "a write of lr1.ckpt under way");
            var ownTemp = UnixPath.HiddenSibling(Path.Combine(dir, "lr?.ckpt"), $"{Guid.NewGuid():N}.tmp");
            File.WriteAllText(ownTemp, "left by a killed write of lr?.ckpt");

            Assert.Equal(1, AtomicFile.RemoveLeftovers(Path.Combine(dir, "lr?.ckpt")));
            Assert.True(File.Exists(othersTemp));
            Assert.False(File.Exists(ownTemp));
            Assert.Equal(0, AtomicFile.RemoveLeftovers(Path.Combine(dir, "*")));
            Assert.True(File.Exists(othersTemp));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
