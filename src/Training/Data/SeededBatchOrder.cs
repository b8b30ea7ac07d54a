using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// Deterministic shuffles: the order of epoch e is a pure function of (n, seed, e). The seed and epoch are mixed
/// (SplitMix64, <see cref="SeedMix"/>) into the seed of a fresh generator for each epoch, so there is no hidden
/// RNG state: a resumed run needs only the epoch number to see the same batches.
/// </summary>
public static class SeededBatchOrder
{
    /// <summary>An int64 permutation of [0, n) on the CPU; the caller disposes it.</summary>
    public static Tensor Permutation(long n, int seed, int epoch)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must not be negative");
        using var gen = new Generator(SeedMix.Derive(seed, SeedMix.OrderStream, epoch), CPU);
        return randperm(n, generator: gen);
    }

    /// <summary>Steps in an epoch of <paramref name="n"/> examples: the last partial batch counts.</summary>
    public static int BatchCount(long n, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "must be at least 1");
        return checked((int)((n + batchSize - 1) / batchSize));
    }

    /// <summary>
    /// The batches of one epoch as int64 index tensors on <paramref name="device"/> (CPU when null): views of size
    /// <paramref name="batchSize"/> into the epoch's permutation, the last one shorter when n is not a multiple.
    /// Each yielded tensor belongs to the caller (<c>using var idx = …</c>): it is created before the loop body
    /// runs, so a dispose scope opened inside the body does not see it.
    /// </summary>
    public static IEnumerable<Tensor> Batches(long n, int batchSize, int seed, int epoch, Device? device = null)
    {
        int steps = BatchCount(n, batchSize);
        var perm = Permutation(n, seed, epoch);
        try
        {
            if (device is not null && device.type != TorchSharp.DeviceType.CPU)
            {
                var moved = perm.to(device);
                perm.Dispose();
                perm = moved;
            }
            for (int s = 0; s < steps; s++)
            {
                long start = (long)s * batchSize;
                yield return perm.narrow(0, start, Math.Min(batchSize, n - start));
            }
        }
        finally
        {
            perm.Dispose();
        }
    }
}
