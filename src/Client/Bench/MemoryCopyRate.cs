using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// The device's memory traffic rate: a 64 MiB fp32 tensor copied into another, in GB/s of bytes read plus written,
/// sampled beside the matmul peak after every round. On a shared VM another tenant's memory traffic slows a step's
/// memory-bound phases (the batch gather, the loss, the optimizer's passes) while the compute-bound, cache-resident
/// matmul peak barely moves (BENCHMARKS.md, 2026-12-04): a row that ran slow on a low copy rate ran under contention.
/// </summary>
internal sealed class MemoryCopyRate : SampledRate
{
    private const long Floats = 16L << 20;   // 64 MiB, 128 with its copy: past an EPYC's L3 (32 MiB a CCD, 96 with V-cache)

    public MemoryCopyRate(BenchDevice device) : base(
        rand(Floats, device: device.Device).DetachFromDisposeScope(),
        zeros(Floats, device: device.Device).DetachFromDisposeScope(),   // written once now: no page faults in a sample
        (from, to) => to.copy_(from), 2.0 * Floats * sizeof(float), device.Synchronise)
    {
        WarmUp(2);
    }
}
