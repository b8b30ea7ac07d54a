using static TorchSharp.torch;

namespace GradGuessCluster.Training.Model;

/// <summary>
/// P ReLU MLPs of one shape trained side by side: s_i = W_i x_i + b_i, x_{i+1} = ReLU(s_i), logits z = s_L.
/// Weights carry a leading pack dimension and live in one flat buffer (<see cref="Parameters"/>).
/// </summary>
public sealed class MlpPack : IDisposable
{
    public MlpPack(MlpShape shape, Tensor flatParameters)
    {
        shape.Validate();
        Shape = shape;
        Parameters = new LayeredTensor(shape, flatParameters);
    }

    public MlpShape Shape { get; }
    public LayeredTensor Parameters { get; }
    public long PackSize => Parameters.PackSize;
    public Device Device => Parameters.Flat.device;

    public static MlpPack Create(MlpShape shape, IReadOnlyList<long> seeds, Device device, double initScale = 1.0) =>
        new(shape, WeightInit.Pack(shape, seeds, device, initScale));

    /// <summary>Forward pass keeping what the estimators need. x: [B, F].</summary>
    public ForwardCache Forward(Tensor x)
    {
        int layers = Shape.Layers;
        var inputs = new Tensor[layers];
        var pre = new Tensor[layers];
        var masks = new Tensor[layers - 1];
        var h = x;
        for (int i = 0; i < layers; i++)
        {
            inputs[i] = h;
            pre[i] = PackLinear.Apply(h, Parameters.W(i), Parameters.B(i));   // [P, B, n_i]
            if (i < layers - 1)
            {
                h = pre[i].relu();                                              // x_{i+1}
                masks[i] = h.sign();                                            // D_i = 1[s_i > 0]; ~10× cheaper than gt + a bool→float cast
            }
        }
        return new ForwardCache(inputs, pre, masks);
    }

    /// <summary>Logits only, without keeping intermediates (evaluation). x: [B, F] → [P, B, C].</summary>
    public Tensor Logits(Tensor x)
    {
        var h = x;
        for (int i = 0; i < Shape.Layers; i++)
        {
            var s = PackLinear.Apply(h, Parameters.W(i), Parameters.B(i));
            h = i < Shape.Layers - 1 ? s.relu_() : s;
        }
        return h;
    }

    public void Dispose() => Parameters.Dispose();
}
