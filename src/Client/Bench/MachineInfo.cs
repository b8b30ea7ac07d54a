using GradGuessCluster.Training.Runtime;
using System.Runtime.InteropServices;

namespace GradGuessCluster.Client.Bench;

/// <summary>What a benchmark ran on, for the record in docs/BENCHMARKS.md.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Os, string Runtime, string LibTorch)
{
    public static MachineInfo Current() =>
        new(CpuModel(), Environment.ProcessorCount, RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, $"TorchSharp 0.107.0 / {TorchRuntime.LibTorchDescription()} ({MklVendorCheck.Outcome}; " +
            $"{(SubnormalFlush.Enabled() ? "subnormals flushed in training passes" : $"subnormals kept ({SubnormalFlush.Variable}=keep or not supported)")})");

    /// <summary>The CPU's model name as the kernel reports it, or "unknown CPU".</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return "unknown CPU";
    }

    public override string ToString() => $"{Cpu}, {Cores} cores; {Os}; {Runtime}; {LibTorch}";
}
