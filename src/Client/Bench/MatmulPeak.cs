using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// The device's own fp32 matmul rate, GFLOP/s: an n×n×n torch.mm, on the CPU at the current thread count. On a shared
/// VM this rate drifts by a quarter or more within minutes, so the bench samples it between the rounds of epochs it is
/// compared with, instead of once at the start. A GPU gets a larger n: 2048³ is over in a fraction of a millisecond there.
/// </summary>
internal sealed class MatmulPeak : SampledRate
{
    public MatmulPeak(BenchDevice device) : this(device, device.IsCuda ? 8192 : 2048) { }

    /// <summary>At an n×n×n product of its own size (<c>doctor</c> takes a smaller one than the bench, for a quick figure).</summary>
    public MatmulPeak(BenchDevice device, int n) : base(
        randn(n, n, device: device.Device).DetachFromDisposeScope(), randn(n, n, device: device.Device).DetachFromDisposeScope(),
        mm, 2.0 * n * n * n, device.Synchronise)
    {
        Size = n;
        WarmUp(2);
    }

    public int Size { get; }
}
