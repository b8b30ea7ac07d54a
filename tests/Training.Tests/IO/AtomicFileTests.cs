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
}
