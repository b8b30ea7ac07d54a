using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Tests.IO;

/// <summary>The temporary file beside the one written: a legal name, however long, must leave room for it, and a probe
/// leaves nothing behind.</summary>
public sealed class AtomicFileNameTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_OfAFileWithA250CharacterName_Succeeds_AndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_dir, new string('n', 250));
        AtomicFile.WriteAllText(path, "x");
        Assert.Equal("x", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void Probe_LeavesTheFileAsItWas_AndNothingBeside()
    {
        var path = Path.Combine(_dir, "kept.csv");
        File.WriteAllText(path, "old");
        AtomicFile.Probe(path);
        AtomicFile.Probe(Path.Combine(_dir, "new.csv"));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void Probe_WhereNoFileCanBeCreated_Throws_NamingThePath()
    {
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.Probe("/proc/gg-probe.csv"));
        Assert.Equal("cannot write /proc/gg-probe.csv: cannot create a file in /proc", e.Message);
    }
}
