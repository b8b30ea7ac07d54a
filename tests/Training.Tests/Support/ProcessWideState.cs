namespace GradGuessCluster.Training.Tests.Support;

/// <summary>
/// Tests that change or depend on process-wide state run alone, after the parallel ones: the fused-kernel switch
/// (<c>CpuKernels.Enabled</c>, read by every optimizer step of every other test), the chunk size of host memory walks
/// (<c>HostChunks.Bytes</c>, read by every step and checkpoint), libtorch's global generator (seeded for <c>nn.Linear</c>
/// initialisation) and environment variables.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideState
{
    public const string Name = "process-wide state";
}
