using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Data;

[Collection(ProcessWideState.Name)]   // it seeds libtorch's global generator
public sealed class SeededBatchOrderTests
{
    private static long[] Perm(long n, int seed, int epoch)
    {
        using var p = SeededBatchOrder.Permutation(n, seed, epoch);
        Assert.Equal(ScalarType.Int64, p.dtype);
        Assert.Equal(TorchSharp.DeviceType.CPU, p.device_type);
        return p.data<long>().ToArray();
    }

    [Fact]
    public void Permutation_IsAPureFunctionOfNSeedEpoch()
    {
        TorchRuntime.SetThreads(1);
        var a = Perm(1000, 3, 5);
        manual_seed(99);                                  // the global generator plays no part
        _ = SeededBatchOrder.Permutation(1000, 3, 4);     // nor does an earlier call
        Assert.Equal(a, Perm(1000, 3, 5));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), a.Order());
        Assert.NotEqual(a, Perm(1000, 3, 6));
        Assert.NotEqual(a, Perm(1000, 4, 5));
    }

    [Fact]
    public void Batches_CoverTheEpochInPermutationOrder_LastOnePartial()
    {
        TorchRuntime.SetThreads(1);
        var perm = Perm(10, 1, 2);
        var batches = SeededBatchOrder.Batches(10, 4, 1, 2, CPU).Select(t => { using (t) return t.data<long>().ToArray(); }).ToList();

        Assert.Equal(3, SeededBatchOrder.BatchCount(10, 4));
        Assert.Equal([4, 4, 2], batches.Select(b => b.Length));
        Assert.Equal(perm, batches.SelectMany(b => b));
        Assert.Equal(2, SeededBatchOrder.BatchCount(8, 4));
    }
}
