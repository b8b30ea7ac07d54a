using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Support;

public static class Tensors
{
    /// <summary>The same shape and every element equal: bit-for-bit draws and data, not values within a tolerance.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.equal(b).all().item<bool>();
}
