using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Data;

/// <summary>Deterministic shuffles: the order of epoch e is a pure function of (n, seed, e).</summary>
public static class SeededBatchOrder
{
    /// <summary>An int64 permutation of [0, n) on the CPU.</summary>
    public static Tensor Permutation(long n, int seed, int epoch)
    {
        using var gen = new Generator(SeedMix.Derive(seed, SeedMix.OrderStream, epoch), CPU);
        return randperm(n, generator: gen);
    }
}
