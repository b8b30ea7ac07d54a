using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Loop;

/// <summary>Accuracy of every cell of a pack on a whole split, in inference mode and in chunks to bound memory.</summary>
public static class Evaluator
{
    private const long MaxChunkRows = 8192;

    /// <summary>Bytes of one layer's activations for a chunk, [cells, rows, width] in float32: a wide pack evaluates
    /// fewer rows at a time.</summary>
    private const long ChunkBytes = 64L << 20;

    /// <summary>Rows per chunk: up to <see cref="MaxChunkRows"/>, fewer where a layer's activations would pass
    /// <see cref="ChunkBytes"/>, at least one.</summary>
    internal static long ChunkRows(long packSize, int widest) =>
        Math.Clamp(ChunkBytes / (packSize * widest * sizeof(float)), 1, MaxChunkRows);

    /// <returns>Accuracy per cell; NaN for a cell with a non-finite logit anywhere in the set: finite weights can still
    /// overflow there, and an argmax over inf/NaN logits would report a meaningless accuracy.</returns>
    public static double[] Accuracy(MlpPack model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = x.shape[0];
        long chunkRows = ChunkRows(model.PackSize, Math.Max(model.Shape.Width, model.Shape.Classes));
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
