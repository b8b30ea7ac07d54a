using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Grains.Tests.Cells;

/// <summary>A silo killed while it wrote a pack's checkpoint leaves the write's temporary file (as large as the checkpoint)
/// in the sweep's checkpoint directory; the pack's next start removes those old enough not to be a live write's.</summary>
public sealed class CheckpointLeftoverTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gg-leftovers-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void RemoveLeftoverWrites_TakesThisPacksOldOnes_NotAFreshOne_NorAnotherPacks()
    {
        var checkpoint = CheckpointFiles.PackPath(_root, "sweep", "0a1b", "inc1");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        string Leftover(string path, int minutesOld)
        {
            var file = UnixPath.HiddenSibling(path, $"{Guid.NewGuid():N}.tmp");
            File.WriteAllText(file, "half a checkpoint");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-minutesOld));
            return file;
        }
        var old = Leftover(checkpoint, 30);
        var oldRecords = Leftover(UnstoredRecords.PathFor(checkpoint), 30);
        var fresh = Leftover(checkpoint, 0);   // may be a live write of an old activation on a silo that hung
        var otherPack = Leftover(CheckpointFiles.PackPath(_root, "sweep", "0a1c", "inc1"), 30);

        Assert.Equal(2, CheckpointFiles.RemoveLeftoverWrites(_root, "sweep", "0a1b", "inc1"));
        Assert.False(File.Exists(old));
        Assert.False(File.Exists(oldRecords));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(otherPack));
    }
}
