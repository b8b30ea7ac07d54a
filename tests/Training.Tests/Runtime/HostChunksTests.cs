using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Runtime;

/// <summary>
/// Tensors past a span's 2 GiB reach are walked in chunks (checkpoints, the fused CPU optimizer kernels, the CPU guess
/// streams). With the chunk size lowered, small tensors take the same code path in many chunks, and must come out as
/// they do in one pass; one real checkpoint past 2 GiB shows the limit itself is gone.
/// </summary>
[Collection(ProcessWideState.Name)]   // lowers HostChunks.Bytes, which every other test's checkpoints and steps read
public sealed class HostChunksTests : IDisposable
{
    private const long SmallChunk = 64;   // 16 float32s: every tensor below is many chunks, ending in a partial one
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-chunks-").FullName;

    public HostChunksTests() => TinyNets.Init();

    public void Dispose()
    {
        HostChunks.Bytes = int.MaxValue;
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Checkpoint_WrittenAndReadInChunks_IsTheSameFile_AndReadsBackTheSameTensors()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["odd"] = randn(7, 13),                                      // 91 floats: 5 full chunks and a partial one
            ["longs"] = tensor(Enumerable.Range(0, 40).Select(i => (long)i).ToArray()).reshape(2, 20),
            ["scalar"] = tensor(3.5f),
            ["empty"] = zeros(0, 4),
            ["bytes"] = tensor(Enumerable.Range(0, 200).Select(i => (byte)i).ToArray()),
        };
        var state = new CheckpointState("fp", 3, 30, 30, [], tensors);
        var whole = Path.Combine(_dir, "whole.ckpt");
        CheckpointFile.Write(whole, state);
        HostChunks.Bytes = SmallChunk;
        var chunked = Path.Combine(_dir, "chunked.ckpt");
        CheckpointFile.Write(chunked, state);

        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(chunked));
        var read = CheckpointFile.Read(chunked);
        Assert.Equal(tensors.Keys.Order(), read.Tensors.Keys.Order());
        foreach (var (name, t) in tensors)
            Assert.True(Tensors.Same(t, read.Tensors[name]), $"tensor {name} read back differently");
    }

    [Fact]
    public void AdamW_StepsInChunks_AsInOnePass_BitForBit()
    {
        var whole = Steps(OptimizerKind.AdamW);
        HostChunks.Bytes = SmallChunk;
        Assert.Equal(whole, Steps(OptimizerKind.AdamW));
    }

    [Fact]
    public void StableAdamW_StepsInChunks_AsInOnePass_ButForTheOrderOfItsSums()
    {
        var whole = Steps(OptimizerKind.StableAdamW);
        HostChunks.Bytes = SmallChunk;
        var chunked = Steps(OptimizerKind.StableAdamW);
        for (int i = 0; i < whole.Length; i++)
            Assert.True(Math.Abs(whole[i] - chunked[i]) <= 1e-6f * Math.Max(1, Math.Abs(whole[i])), $"element {i}: {whole[i]} vs {chunked[i]}");
    }

    [Fact]
    public void GuessDraws_FilledInChunks_AreTheDrawsOfOnePass_ForCellsSharingASeedToo()
    {
        using var scope = NewDisposeScope();
        long[] seeds = [5, 9, 5];
        var whole = new GuessStreams(seeds, CPU);
        var chunked = new GuessStreams(seeds, CPU);
        var expected = new[] { whole.Normal(3, 77), whole.Normal(3, 77) };
        HostChunks.Bytes = SmallChunk;
        var target = empty(3, 3, 77);
        Assert.True(Tensors.Same(expected[0], chunked.Normal(3, 77)), "the first draws differ");
        chunked.NormalInto(target);
        Assert.True(Tensors.Same(expected[1], target), "the second draws differ (the streams did not advance alike)");
    }

    /// <summary>A real tensor past 2 GiB, at the default chunk size: before chunks, writing it threw (TorchSharp's span
    /// over tensor memory is int-indexed), so a wide model's pack could not checkpoint at all. Large: about a minute,
    /// 6.5 GB of memory and 2 GiB of disk, so the suite runs it only when asked (README, Tests).</summary>
    [Fact, Trait("Category", "Large")]
    public void Checkpoint_OfATensorPastTwoGiB_RoundTrips()
    {
        const long length = (1L << 31) + 40;   // bytes: past int.MaxValue, and not a whole chunk
        using var scope = NewDisposeScope();
        using var s = new HeldScalars();
        var big = empty(length, dtype: ScalarType.Byte).fill_(s[7]);
        long[] marks = [0, int.MaxValue - 1, int.MaxValue, int.MaxValue + 1L, length - 1];
        for (int i = 0; i < marks.Length; i++) big[marks[i]].fill_(s[100 + i]);
        var path = Path.Combine(_dir, "big.ckpt");
        CheckpointFile.Write(path, new CheckpointState("fp", 1, 1, 1, [], new Dictionary<string, Tensor> { ["big"] = big }));

        var read = CheckpointFile.Read(path).Tensors["big"];
        Assert.Equal([length], read.shape);
        Assert.True(Tensors.Same(big, read), "the tensor read back differs");
        Assert.Equal(marks.Select((_, i) => (byte)(100 + i)), marks.Select(at => read[at].item<byte>()));
    }

    /// <summary>Three steps of a pack of two cells on a 1-layer model, with distinct gradients per step.</summary>
    private static float[] Steps(OptimizerKind kind)
    {
        using var scope = NewDisposeScope();
        var shape = new MlpShape(Inputs: 9, Width: 7, Depth: 2, Classes: 3);   // 70 + 56 + 24 = 150 parameters, odd segments
        var cells = new[] { OptimizerSettings.Default(kind, 0.01), OptimizerSettings.Default(kind, 0.003) with { ClipThreshold = 0.5 } };
        var generator = new Generator(17);
        using var theta = new LayeredTensor(shape, randn([2, shape.ParameterCount], generator: generator));
        using var optimizer = OptimizerFactory.Create(cells, shape, CPU, wholePack: false);
        using var s = new HeldScalars();
        for (int step = 0; step < 3; step++)
        {
            using var grad = new LayeredTensor(shape, randn([2, shape.ParameterCount], generator: generator).mul_(s[step + 1]));
            optimizer.Step(theta, grad);
        }
        return theta.Flat.flatten().data<float>().ToArray();
    }
}
