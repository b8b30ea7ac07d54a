using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Loop;

/// <summary>Accuracy of every cell of a pack on a whole split, in inference mode and in chunks to bound memory.</summary>
public static class Evaluator
{
    private const long ChunkRows = 8192;

    /// <returns>Accuracy per cell.</returns>
    public static double[] Accuracy(MlpPack model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = x.shape[0];
        var correct = zeros(model.PackSize, dtype: ScalarType.Int64, device: x.device);
        for (long start = 0; start < n; start += ChunkRows)
        {
            long rows = Math.Min(ChunkRows, n - start);
            var logits = model.Logits(x.narrow(0, start, rows));                    // [P, rows, C]
            correct.add_(logits.argmax(-1).eq(y.narrow(0, start, rows).unsqueeze(0)).sum(1), Scalars.IntegerOne);
        }
        return correct.cpu().data<long>().ToArray().Select(c => n == 0 ? 0.0 : (double)c / n).ToArray();
    }
}
