using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Training.Checkpoints;

namespace GradGuessCluster.Grains.Tests.Cells;

/// <summary>Whether a pack has a checkpoint to resume from: a file that is there but cannot be looked at is not "none",
/// or the pack would train again from epoch 0 and its first checkpoint would replace the sound one.</summary>
public sealed class CheckpointPresenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gg-presence-").FullName;

    [Fact]
    public void AMissingCheckpoint_OrSweepDirectory_IsNone()
    {
        Assert.Null(CheckpointFiles.Existing(Path.Combine(_directory, "p1.ckpt")));
        Assert.Null(CheckpointFiles.Existing(Path.Combine(_directory, "no-sweep", "p1.ckpt")));
    }

    [Fact]
    public void ACheckpointThere_IsItsPath()
    {
        var path = Path.Combine(_directory, "p1.ckpt");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal(path, CheckpointFiles.Existing(path));
    }

    /// <summary>A link that cannot be followed (here a loop, ELOOP) is something there: reading it says why it cannot be
    /// read. Before, File.Exists read it as missing, as it reads EIO and EACCES.</summary>
    [Fact]
    public void ACheckpointThatCannotBeFollowed_IsThere_AndReadingItSaysItCannotBeRead()
    {
        var path = Path.Combine(_directory, "p1.ckpt");
        File.CreateSymbolicLink(path, path);
        Assert.Equal(path, CheckpointFiles.Existing(path));
        var e = Assert.Throws<CheckpointUnreadableException>(() => CheckpointFile.Read(path));
        Assert.Equal(path, e.FilePath);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
