using TorchSharp;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Loop;

public class EvaluatorTests
{
    /// <summary>A tiny model's shape: each test's pack holds two cells of it.</summary>
    private static readonly MlpShape Shape = new(Inputs: 6, Width: 8, Depth: 1, Classes: 3);

    public EvaluatorTests() => TinyNets.Init();

    /// <summary>Random inputs and labels for <see cref="Shape"/>, in the caller's dispose scope.</summary>
    private static (Tensor X, Tensor Y) Split(ulong seed, long rows)
    {
        using var gen = new TorchSharp.torch.Generator(seed, CPU);
        return (randn([rows, Shape.Inputs], generator: gen), randint(0, Shape.Classes, [rows], generator: gen, dtype: ScalarType.Int64));
    }

    [Fact]
    public void Accuracy_OverSeveralChunks_EqualsOneDirectArgmaxPerCell()
    {
        using var scope = NewDisposeScope();
        const long rows = 20_001;                                                   // several chunks, the last one ragged
        using var model = TinyNets.Model(Shape, 1, 2);
        var (x, y) = Split(seed: 7, rows);

        var chunked = Evaluator.Accuracy(model, x, y);

        // The reference is each cell's plain autograd-library forward, not the pack's own Logits.
        for (int p = 0; p < 2; p++)
        {
            var (w, b) = TinyNets.Leaves(model, p);
            var (s, _) = TinyNets.AutogradForward(w, b, x, y);
            var direct = s[^1].argmax(-1).eq(y).to(ScalarType.Float64).mean().item<double>();
            Assert.Equal(direct, chunked[p], tolerance: 2.0 / rows);   // two near-ties may round the other way
        }
        Assert.NotEqual(chunked[0], chunked[1]);                                     // two different cells, really
    }

    [Fact]
    public void Accuracy_OfACellWhoseFiniteWeightsOverflow_IsNaN_AndItsPackmatesAreUntouched()
    {
        using var scope = NewDisposeScope();
        using var model = TinyNets.Model(Shape, 1, 2);
        var (x, y) = Split(seed: 3, rows: 20_001);
        var before = Evaluator.Accuracy(model, x, y);

        using (var huge = 3e38f.ToScalar())
            model.Parameters.W(Shape.Layers - 1)[1].fill_(huge);                     // finite, but its logits overflow
        Assert.True(model.Parameters.Flat.isfinite().all().item<bool>());
        var after = Evaluator.Accuracy(model, x, y);

        Assert.True(double.IsNaN(after[1]), $"cell 1 reads {after[1]}");
        Assert.Equal(before[0], after[0]);
    }

    [Fact]
    public void Accuracy_IsTheSameWhateverTheChunkRows_AndNoRowsAChunkIsRefused()
    {
        using var scope = NewDisposeScope();
        const long rows = 5_003;
        using var model = TinyNets.Model(Shape, 1, 2);
        var (x, y) = Split(seed: 11, rows);

        var whole = Evaluator.Accuracy(model, x, y, chunkRows: rows);
        foreach (var chunkRows in new long[] { 1, 7, 512, Evaluator.MaxChunkRows })
            Assert.Equal(whole, Evaluator.Accuracy(model, x, y, chunkRows));
        Assert.Equal(whole, Evaluator.Accuracy(model, x, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluator.Accuracy(model, x, y, chunkRows: 0));
    }

    /// <summary>On a CPU a chunk's activations stay near 2 MiB, 512 to 2048 rows (the study's 3 × 128 cell: 2048 rows,
    /// a pack of 4 of them 1024, of 16 512), and never pass the 64 MiB bound (a pack of 64 cells 65,536 wide: 4 rows).</summary>
    [Theory]
    [InlineData(1, 128, 2048)]
    [InlineData(4, 128, 1024)]
    [InlineData(16, 128, 512)]
    [InlineData(1, 1024, 512)]
    [InlineData(1, 16_400, 512)]
    [InlineData(64, 65_536, 4)]
    [InlineData(2048, 65_536, 1)]                                                    // never none
    public void ChunkRows_OnACpu_KeepAChunksActivationsCacheSized(int packSize, int widest, long rows) =>
        Assert.Equal(rows, Evaluator.ChunkRows(packSize, widest, DeviceType.CPU));

    /// <summary>On a GPU the study's 3 × 128 packs evaluate 8192 rows a chunk; a wide pack fewer, so that one layer's
    /// activations for a chunk stay near 64 MiB (a 3 × 16,400 cell: 1023 rows, not 8192 rows of 537 MB each).</summary>
    [Theory]
    [InlineData(4, 128, 8192)]
    [InlineData(1, 16_400, 1023)]
    [InlineData(4, 2048, 2048)]
    [InlineData(64, 65_536, 4)]
    [InlineData(2048, 65_536, 1)]
    public void ChunkRows_OnAGpu_KeepAChunksActivationsNear64MiB(int packSize, int widest, long rows)
    {
        Assert.Equal(rows, Evaluator.ChunkRows(packSize, widest, DeviceType.CUDA));
        Assert.Equal(rows, Evaluator.BoundedChunkRows(packSize, widest));   // the bench's large chunks
    }
}
