using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// CUDA devices offered must be ones TorchSharp sees: a cell placed on a missing one fails at its first tensor ("Torch
/// device type CUDA did not initialise"), so <c>local --gpus</c> and the silo's <c>GpuCount</c> refuse them up front.
/// </summary>
public static class CudaDeviceCheck
{
    /// <summary>Why <paramref name="requested"/> devices cannot be offered, or null when they can. None asked for (0) and
    /// "detect" (null) need no check, and do not load libtorch.</summary>
    public static string? Problem(int? requested)
    {
        if (requested is not > 0) return null;
        int visible = TorchRuntime.CudaDeviceCount();
        return requested <= visible ? null
            : $"TorchSharp sees {Units.Count(visible, "CUDA device")}" + (visible == 0 ? " (a CPU build, or no GPU here)" : "");
    }
}
