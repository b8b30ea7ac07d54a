using GradGuessCluster.Training;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Commands;

/// <summary>A <c>--device</c> value (<c>cpu</c> or <c>cuda:N</c>), checked against the devices this machine has.</summary>
internal static class DeviceArgument
{
    public static Device Resolve(string name)
    {
        if (name == "cpu") return CPU;
        if (name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name.AsSpan(5), out int index) && index >= 0)
        {
            int count = TorchRuntime.CudaDeviceCount();
            if (index >= count) throw new UsageException($"--device {name}: this machine has {Units.Count(count, "CUDA device")}");
            return device(name);
        }
        throw new UsageException($"--device: expected cpu or cuda:N, got '{name}'");
    }
}
