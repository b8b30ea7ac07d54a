using GradGuessCluster.Grains.Hosting;

namespace GradGuessCluster.Grains.Tests.Cells;

public sealed class CheckpointOwnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-ckpt-owner-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Claim_TakesAFreeDirectory_KeepsItForItsOwner_AndRefusesAnotherStoresHost()
    {
        var redis = CheckpointOwner.SharedStore("redis", "gradguess");
        Assert.Null(CheckpointOwner.Claim(_dir, redis));
        Assert.Equal("redis service gradguess\n", File.ReadAllText(Path.Combine(_dir, CheckpointOwner.FileName)));
        Assert.Null(CheckpointOwner.Claim(_dir, redis));   // every silo of that service, every restart

        var local = CheckpointOwner.FileStore(_dir, Path.Combine(_dir, "..", "state"));
        var refusal = CheckpointOwner.Claim(_dir, local);
        Assert.NotNull(refusal);
        Assert.Contains("another store's sweeps (redis service gradguess; this host's: file ../state", refusal);
        Assert.Null(CheckpointOwner.Claim(_dir, CheckpointOwner.SharedStore("redis", "gradguess")));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void FileStore_IsTheStateDirectoryRelativeToTheCheckpoints_SoAMovedPairStaysOne()
    {
        Assert.Equal("file ../state", CheckpointOwner.FileStore("/a/.gradguess/checkpoints", "/a/.gradguess/state"));
        Assert.Equal(CheckpointOwner.FileStore("/a/s/checkpoints", "/a/s/state"), CheckpointOwner.FileStore("/b/s/checkpoints", "/b/s/state"));
        Assert.NotEqual(CheckpointOwner.FileStore("/a/s/checkpoints", "/a/s/state"), CheckpointOwner.FileStore("/a/s/checkpoints", "/a/t/state"));
    }

    [Fact]
    public void Claim_RacedByManyHosts_LeavesOneOwner_AndRefusesEveryOther()
    {
        // Rounds on fresh directories: File.Move without overwrite looks, then renames, and two of a round both won.
        var owners = Enumerable.Range(0, 16).Select(i => CheckpointOwner.SharedStore("redis", $"s{i}")).ToArray();
        for (var round = 0; round < 50; round++)
        {
            var directory = Directory.CreateDirectory(Path.Combine(_dir, $"round{round}")).FullName;
            var answers = new string?[owners.Length];
            Parallel.For(0, owners.Length, i => answers[i] = CheckpointOwner.Claim(directory, owners[i]));

            var held = File.ReadAllText(Path.Combine(directory, CheckpointOwner.FileName)).Trim();
            Assert.Equal([held], owners.Where((_, i) => answers[i] is null));
        }
    }
}
