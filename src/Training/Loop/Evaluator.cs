using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Loop;

/// <summary>Accuracy of every cell of a pack on a whole split, in inference mode and in chunks to bound memory.</summary>
public static class Evaluator
{
    /// <summary>The rows of a chunk at most, and the bytes of one layer's activations for a chunk, [cells, rows, width] in
    /// float32, at most: a wide pack evaluates fewer rows at a time, so that its memory stays bounded.</summary>
    public const long MaxChunkRows = 8192;
    private const long ChunkBytes = 64L << 20;

    /// <summary>On a CPU, a chunk's activations are kept about this size instead, with 512 to 2048 rows. Measured on
    /// Fashion-MNIST (one and two threads, packs of 1 to 16, widths 128 to 1024; docs/BENCHMARKS.md): 8192-row chunks of
    /// a 3 × 128 cell evaluated up to 2.5× slower than 2048-row ones, and a pack of 16's up to 3.7× slower than 512-row
    /// ones, while chunks of a few MiB or less stayed within a few per cent of the fastest. Activations of many MiB are
    /// fresh pages at every chunk wherever glibc maps them anew (which depends on what the process freed before), and
    /// leave the caches. A GPU keeps the large chunks: fewer kernel launches.</summary>
    private const long CpuChunkBytes = 2L << 20;
    private const long CpuMinChunkRows = 512, CpuMaxChunkRows = 2048;

    /// <summary>Rows per chunk under the memory bound alone: a GPU's chunks (and every device's before 2026-12-04), at
    /// least one.</summary>
    public static long BoundedChunkRows(long packSize, int widest) =>
        Math.Clamp(ChunkBytes / RowBytes(packSize, widest), 1, MaxChunkRows);

    /// <summary>Rows per chunk for <paramref name="device"/>: never more than <see cref="BoundedChunkRows"/>.</summary>
    public static long ChunkRows(long packSize, int widest, DeviceType device) =>
        device == DeviceType.CPU
            ? Math.Min(BoundedChunkRows(packSize, widest), Math.Clamp(CpuChunkBytes / RowBytes(packSize, widest), CpuMinChunkRows, CpuMaxChunkRows))
            : BoundedChunkRows(packSize, widest);

    /// <summary>Bytes of one row of a layer's activations across the pack.</summary>
    private static long RowBytes(long packSize, int widest) => packSize * widest * sizeof(float);

    /// <returns>As <see cref="Accuracy(MlpPack, Tensor, Tensor, long)"/>, in chunks of the rows
    /// <see cref="ChunkRows"/> gives for the model's device.</returns>
    public static double[] Accuracy(MlpPack model, Tensor x, Tensor y) =>
        Accuracy(model, x, y, ChunkRows(model.PackSize, model.Shape.WidestOutput, model.Device.type));

    /// <returns>Accuracy per cell; NaN for a cell with a non-finite logit anywhere in the set: finite weights can still
    /// overflow there, and an argmax over inf/NaN logits would report a meaningless accuracy.</returns>
    /// <param name="chunkRows">Rows evaluated at a time (the bench compares chunk sizes).</param>
    public static double[] Accuracy(MlpPack model, Tensor x, Tensor y, long chunkRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = x.shape[0];
        var correct = zeros(model.PackSize, dtype: ScalarType.Int64, device: x.device);
        var finite = ones(model.PackSize, dtype: ScalarType.Bool, device: x.device);
        for (long start = 0; start < n; start += chunkRows)
        {
            using var chunk = NewDisposeScope();   // each chunk's activations go before the next: one chunk's memory at a time
            long rows = Math.Min(chunkRows, n - start);
            var logits = model.Logits(x.narrow(0, start, rows));                    // [P, rows, C]
            correct.add_(logits.argmax(-1).eq(y.narrow(0, start, rows).unsqueeze(0)).sum(1), Scalars.IntegerOne);
            finite.logical_and_(logits.isfinite().flatten(1).all(1));
        }
        var counts = correct.cpu().data<long>().ToArray();
        var ok = finite.cpu().data<bool>().ToArray();
        return counts.Select((c, p) => !ok[p] ? double.NaN : n == 0 ? 0.0 : (double)c / n).ToArray();
    }
}
