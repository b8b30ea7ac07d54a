using System.Globalization;
using GradGuessCluster.Training.Model;

namespace GradGuessCluster.Training.Weights;

/// <summary>
/// One cell's weights as the arrays of a PyTorch <c>torch.nn.Sequential</c> of Linear and ReLU layers: linear layer i is
/// module 2i, so its arrays are <c>2i.weight</c> [out, in] and <c>2i.bias</c> [out], and <c>load_state_dict</c> of that
/// model takes the file as it is. The layout matches the pack's: W_i is [n_i, n_{i-1}], the way torch.nn.Linear keeps it.
/// </summary>
public static class MlpWeights
{
    /// <summary>The arrays of one cell from its row of the flat parameters (<see cref="MlpShape.Offsets"/>).</summary>
    public static IReadOnlyList<NamedArray> Of(MlpShape shape, ReadOnlySpan<float> cell)
    {
        if (cell.Length != shape.ParameterCount)
            throw new ArgumentException($"a cell of this shape has {shape.ParameterCount} parameters, got {cell.Length}", nameof(cell));
        var arrays = new List<NamedArray>(2 * shape.Layers);
        for (int i = 0; i < shape.Layers; i++)
        {
            var (w, b) = shape.Offsets(i);
            int o = shape.OutSize(i), n = shape.InSize(i);
            arrays.Add(new NamedArray(ModuleName(i) + ".weight", [o, n], cell.Slice((int)w, o * n).ToArray()));
            arrays.Add(new NamedArray(ModuleName(i) + ".bias", [o], cell.Slice((int)b, o).ToArray()));
        }
        return arrays;
    }

    /// <summary>The module index of linear layer i in the Sequential (a ReLU follows each hidden one).</summary>
    public static string ModuleName(int layer) => (2 * layer).ToString(CultureInfo.InvariantCulture);

    /// <summary>The PyTorch model the arrays load into, as Python source.</summary>
    public static string Architecture(MlpShape shape) =>
        "torch.nn.Sequential(" + string.Join(", ", Enumerable.Range(0, shape.Layers).Select(i =>
            $"torch.nn.Linear({shape.InSize(i)}, {shape.OutSize(i)})" + (i < shape.Layers - 1 ? ", torch.nn.ReLU()" : ""))) + ")";

    /// <summary>The shape whose cells have <paramref name="parameters"/> parameters, given the hidden layers and classes (a
    /// checkpoint keeps those, not the input size, which its data decided); null when no input size makes that count.</summary>
    public static MlpShape? ShapeOf(long parameters, int width, int depth, int classes)
    {
        // parameters = inputs·w + w + (depth − 1)(w² + w) + w·c + c
        long rest = parameters - width - (depth - 1L) * ((long)width * width + width) - (long)width * classes - classes;
        if (width < 1 || rest < width || rest % width != 0 || rest / width > int.MaxValue) return null;
        return new MlpShape((int)(rest / width), width, depth, classes);
    }
}
