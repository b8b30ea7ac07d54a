using GradGuessCluster.Training.Checkpoints;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Checkpoints;

/// <summary>Writing a checkpoint: any legal name takes one, and a failed write names the checkpoint, not a temporary file.</summary>
public sealed class CheckpointFileWriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-ckptwrite-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CheckpointState State(Tensor t) => new("f", 2, 5, 5, [0], new Dictionary<string, Tensor> { ["a"] = t });

    [Fact]
    public void AFileWithA250CharacterName_IsWritten_AndReadsBack()
    {
        var path = Path.Combine(_dir, new string('c', 250));
        using var t = tensor(new[] { 1.5f, -2f });
        CheckpointFile.Write(path, State(t));
        var read = CheckpointFile.Read(path);
        using var a = read.Tensors["a"];
        Assert.Equal([1.5f, -2f], a.data<float>().ToArray());
        Assert.Equal([path], Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void AWriteThatFails_NamesTheCheckpoint()
    {
        using var t = tensor(new[] { 1f });
        var e = Assert.ThrowsAny<IOException>(() => CheckpointFile.Write("/proc/gg-cell.ckpt", State(t)));
        Assert.Equal("cannot write /proc/gg-cell.ckpt: cannot create a file in /proc", e.Message);
    }
}
