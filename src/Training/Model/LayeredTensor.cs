using static TorchSharp.torch;

namespace GradGuessCluster.Training.Model;

/// <summary>
/// One flat [P, N] tensor holding every cell's weights and biases (or gradients, or optimizer moments), with
/// per-layer views W_i [P, n_i, n_{i-1}] and b_i [P, n_i] into it. Keeping all layers in one buffer lets an
/// optimizer update a whole pack with a handful of element-wise ops instead of a handful per tensor.
/// </summary>
public sealed class LayeredTensor : IDisposable
{
    private readonly Tensor[] _weights;
    private readonly Tensor[] _biases;

    public LayeredTensor(MlpShape shape, Tensor flat)
    {
        Shape = shape;
        Flat = flat.DetachFromDisposeScope();
        long p = flat.shape[0];
        _weights = new Tensor[shape.Layers];
        _biases = new Tensor[shape.Layers];
        for (int i = 0; i < shape.Layers; i++)
        {
            var (w, b) = shape.Offsets(i);
            int o = shape.OutSize(i), n = shape.InSize(i);
            _weights[i] = Flat.narrow(1, w, (long)o * n).view(p, o, n).DetachFromDisposeScope();
            _biases[i] = Flat.narrow(1, b, o).DetachFromDisposeScope();
        }
    }

    public MlpShape Shape { get; }

    /// <summary>[P, N], N = <see cref="MlpShape.ParameterCount"/>.</summary>
    public Tensor Flat { get; }

    public long PackSize => Flat.shape[0];

    /// <summary>View [P, n_i, n_{i-1}].</summary>
    public Tensor W(int i) => _weights[i];

    /// <summary>View [P, n_i].</summary>
    public Tensor B(int i) => _biases[i];

    public static LayeredTensor Zeros(MlpShape shape, long pack, Device device) =>
        new(shape, zeros(pack, shape.ParameterCount, dtype: ScalarType.Float32, device: device));

    public LayeredTensor ZerosLike() => new(Shape, zeros_like(Flat));

    public LayeredTensor Clone() => new(Shape, Flat.clone());

    /// <summary>The parameters of layer i of every cell flattened: [P, n_i·n_{i-1} + n_i] (a copy).</summary>
    public Tensor LayerFlat(int i) => cat([W(i).flatten(1), B(i)], 1);

    public void Dispose()
    {
        foreach (var t in _weights) t.Dispose();
        foreach (var t in _biases) t.Dispose();
        Flat.Dispose();
    }
}
