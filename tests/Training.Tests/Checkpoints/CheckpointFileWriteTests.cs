using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
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

    /// <summary>A sweep's largest pack: 10,000 cells (the most a sweep holds, one pack with <c>packing: lr</c>), whose
    /// configurations the header keeps. A header cap of 1 MiB once made its checkpoints unreadable from about 3,300 cells.</summary>
    [Fact]
    public void TheHeaderOfAPackOfTenThousandCells_ReadsBack()
    {
        var cells = Enumerable.Range(0, 10_000).Select(i => new CellSettings(OptimizerSettings.Default(OptimizerKind.StableAdamW, 1e-3 * (1 + i)), 0)).ToList();
        var spec = new PackSpec(new DataSource("synthetic"), Depth: 3, Width: 128, new EstimatorSettings(EstimatorKind.WTranspose), BatchSize: 128,
            Epochs: 1000, DataSeed: 7, cells);
        var configuration = PackFingerprint.Configuration(spec);
        var path = Path.Combine(_dir, "wide.ckpt");
        using var t = tensor(new[] { 1f });
        CheckpointFile.Write(path, new CheckpointState("f", 2, 5, 5, new int[cells.Count], new Dictionary<string, Tensor> { ["a"] = t },
            configuration));

        var read = CheckpointFile.Read(path);
        using var a = read.Tensors["a"];
        Assert.True(new FileInfo(path).Length > 1 << 20, $"{new FileInfo(path).Length} bytes: not the header this test is about");
        Assert.Equal(configuration, read.Configuration);
        Assert.Equal(cells.Count, read.Diverged.Length);
    }

    [Fact]
    public void AWriteThatFails_NamesTheCheckpoint()
    {
        using var t = tensor(new[] { 1f });
        var e = Assert.ThrowsAny<IOException>(() => CheckpointFile.Write("/proc/gg-cell.ckpt", State(t)));
        Assert.Equal("cannot write /proc/gg-cell.ckpt: cannot create a file in /proc", e.Message);
    }
}
