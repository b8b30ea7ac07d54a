using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>Checks shared by the pack optimizers.</summary>
internal static class PackHyperparameters
{
    public static void CheckSameKind(IReadOnlyList<OptimizerSettings> cells, OptimizerKind kind)
    {
        if (cells.Count == 0) throw new ArgumentException("a pack needs at least one cell");
        foreach (var c in cells)
        {
            if (c.Kind != kind) throw new ArgumentException($"all cells of a pack must use {kind}, got {c.Kind}");
            c.Validate();
        }
    }

    /// <summary>Replaces the tensor under <paramref name="name"/> with a copy of the checkpoint's, checking its shape.</summary>
    public static void CopyState(IReadOnlyDictionary<string, Tensor> state, string name, Tensor into)
    {
        if (!state.TryGetValue(name, out var t)) throw new ArgumentException($"optimizer state '{name}' missing");
        if (!t.shape.SequenceEqual(into.shape))
            throw new ArgumentException($"optimizer state '{name}' has shape [{string.Join(",", t.shape)}], expected [{string.Join(",", into.shape)}]");
        into.copy_(t);
    }
}
