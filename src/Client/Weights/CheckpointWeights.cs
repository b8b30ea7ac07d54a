using GradGuessCluster.Client.Inspection;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Weights;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Weights;

/// <summary>A pack's checkpoint read for its weights: the pack's configuration, the model shape its weights make, and
/// each cell's parameters as a flat row. The optimizer's moments and RNG states are not kept.</summary>
internal sealed record CheckpointWeights(string File, int Epoch, int[] Diverged, string? DataDigest, string Configuration, PackSpec Spec,
    MlpShape Shape, float[][] Cells)
{
    /// <summary>The epoch cell <paramref name="p"/> diverged in, or null.</summary>
    public int? DivergedIn(int p) => Diverged.ElementAtOrDefault(p) is > 0 and var at ? at : null;

    public static CheckpointWeights Read(string file)
    {
        var state = CheckpointFile.Read(file);
        try
        {
            var spec = CheckpointPaths.ReadSpec(file, state);
            var weights = state.Tensors.GetValueOrDefault(CheckpointState.ModelTensor);
            if (weights is null || weights.dtype != ScalarType.Float32 || weights.dim() != 2 || weights.shape[0] != spec.PackSize)
                throw new CheckpointCorruptException(file, $"it holds no float32 weights of its {spec.PackSize} cells");
            var shape = MlpWeights.ShapeOf(weights.shape[1], spec.Width, spec.Depth, DatasetLoader.Classes)
                ?? throw new CheckpointCorruptException(file, $"its {weights.shape[1]} parameters a cell make no {spec.Depth} × {spec.Width} MLP");
            if (DataShape.FeaturesOf(spec.Data) is { } inputs && inputs != shape.Inputs)
                throw new CheckpointCorruptException(file, $"its weights take {shape.Inputs} inputs, and {spec.Data.Set} has {inputs}");
            var flat = weights.contiguous().data<float>().ToArray();
            long n = shape.ParameterCount;
            var cells = Enumerable.Range(0, spec.PackSize).Select(p => flat.AsSpan((int)(p * n), (int)n).ToArray()).ToArray();
            return new CheckpointWeights(file, state.Epoch, state.Diverged, state.DataDigest, state.Configuration!, spec, shape, cells);
        }
        finally
        {
            foreach (var t in state.Tensors.Values) t.Dispose();
        }
    }
}
