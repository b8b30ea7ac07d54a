using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// For <see cref="SiloHostOptions.SimulateGpus"/>: the silo advertises <see cref="SiloHostOptions.GpuCount"/> GPUs to
/// placement (slots, pinning, metrics) but trains each "cuda:N" cell on the CPU. Lets a multi-silo GPU deployment be
/// exercised end to end on machines without GPUs (tests, demos); never for real runs.
/// </summary>
public sealed class SimulatedGpuTrainerFactory(IPackTrainerFactory inner, int threadsPerCell) : IPackTrainerFactory
{
    public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device)
    {
        // The grain sets libtorch's (process-wide) thread count only for the stock factory; keep CPU cells at theirs.
        TorchRuntime.SetThreads(threadsPerCell);
        return inner.Open(spec, checkpointPath, device.StartsWith("cuda", StringComparison.Ordinal) ? "cpu" : device);
    }
}
