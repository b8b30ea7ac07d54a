using static TorchSharp.torch;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// Turns pixel bytes into features: x = (byte / 255 − mean_c) / std_c per channel c, float32 [N, F].
/// The constants are the fixed, published training-set statistics of each data set (the values torchvision users
/// pass to Normalize), not statistics recomputed from whatever files are loaded: every cell of every sweep then
/// sees the same features, and a test split never leaks into its own normalisation.
/// </summary>
public sealed class PixelNormalization
{
    private PixelNormalization(string set, float[] mean, float[] std)
    {
        Set = set;
        Mean = mean;
        Std = std;
    }

    /// <summary>MNIST: training-set pixel mean and standard deviation.</summary>
    public static PixelNormalization Mnist { get; } = new("mnist", [0.1307f], [0.3081f]);

    /// <summary>Fashion-MNIST: training-set pixel mean and standard deviation.</summary>
    public static PixelNormalization FashionMnist { get; } = new("fashion-mnist", [0.2860f], [0.3530f]);

    /// <summary>CIFAR-10: per-channel (R, G, B) training-set mean and standard deviation over all pixels
    /// (0.2470/0.2435/0.2616, not the often-copied 0.2023/0.1994/0.2010, which are not the pixel std).</summary>
    public static PixelNormalization Cifar10 { get; } = new("cifar10", [0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);

    /// <summary>The normalisation of a set of images; null for the synthetic set, whose features are generated as they are.</summary>
    public static PixelNormalization? For(string set) => set switch
    {
        "mnist" => Mnist,
        "fashion-mnist" => FashionMnist,
        "cifar10" => Cifar10,
        _ => null,
    };

    public string Set { get; }

    /// <summary>Per-channel mean of pixels scaled to [0, 1].</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Per-channel standard deviation of pixels scaled to [0, 1].</summary>
    public IReadOnlyList<float> Std { get; }

    public int Channels => Mean.Count;

    /// <summary>
    /// Normalised float32 features [count, features] on the CPU from channel-major pixel bytes (each example's
    /// channels are contiguous planes of features / Channels bytes). One copy into a uint8 tensor, one conversion,
    /// one fused multiply-subtract in place.
    /// </summary>
    public Tensor Apply(byte[] pixels, long count, int features)
    {
        if (features % Channels != 0)
            throw new ArgumentException($"{features} features do not split into {Channels} channels", nameof(features));
        if (pixels.LongLength != count * features)
            throw new ArgumentException($"{pixels.LongLength} pixel bytes, expected {count} x {features}", nameof(pixels));
        using var scope = NewDisposeScope();
        var bytes = tensor(pixels, [count, features]);                        // uint8 [N, F]
        var x = bytes.to_type(ScalarType.Float32).view(count, Channels, -1);  // [N, C, F / C]
        // (b / 255 − μ) / σ  =  b · (1 / (255 σ)) − μ / σ
        var scale = tensor(Std.Select(s => 1f / (255f * s)).ToArray()).view(1, Channels, 1);
        var shift = tensor(Mean.Zip(Std, (m, s) => m / s).ToArray()).view(1, Channels, 1);
        x.mul_(scale).sub_(shift);
        return x.view(count, features).MoveToOuterDisposeScope();
    }
}
