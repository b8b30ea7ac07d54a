using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// The device a bench runs on: its name for the record, and how a timer waits for it. A GPU runs asynchronously, so a
/// timing that does not wait measures the kernel launches, not the work.
/// </summary>
internal sealed record BenchDevice(Device Device, string Description, Action? Synchronise)
{
    public bool IsCuda => Device.type == DeviceType.CUDA;

    public static BenchDevice Of(Device device) => device.type == DeviceType.CUDA
        ? new(device, $"{device} ({GpuModel(device.index) ?? "CUDA device"})", () => cuda.synchronize(device))   // its own: not device 0's
        : new(device, "CPU", null);

    /// <summary>The model name NVIDIA's driver reports for the index-th GPU, or null where it does not say.</summary>
    private static string? GpuModel(int index)
    {
        try
        {
            var dirs = Directory.GetDirectories("/proc/driver/nvidia/gpus").Order(StringComparer.Ordinal).ToArray();
            if (index < 0 || index >= dirs.Length) return null;
            var line = File.ReadLines(Path.Combine(dirs[index], "information")).FirstOrDefault(l => l.StartsWith("Model:", StringComparison.Ordinal));
            return line?["Model:".Length..].Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
