using GradGuessCluster.Client.Bench;
using GradGuessCluster.Client.Rendering;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Tests.Bench;

/// <summary>
/// A bench on a GPU is recorded as one: named for its device, against the device's own matmul peak, in a section of
/// its own. (The GPU figures of docs/BENCHMARKS.md were once written under the CPU's heading, against the CPU's peak.)
/// </summary>
public sealed class BenchReportDeviceTests
{
    private static readonly MachineInfo Machine = new("Test CPU", 2, "Linux", ".NET", "libtorch");
    private static readonly TrainingBenchResult[] Results = [new("backprop", 128, 1, [0.5, 0.4, 0.6], 60000, 1e9, 100)];

    private static string Report(BenchDevice device) =>
        TrainingBenchReport.Markdown(Results, Machine, device, threads: 1, peakSize: 8192, peakSamples: [100, 110],
            dataName: "synthetic", model: "MLP", warmup: 1, timed: 3, commit: "abc1234 with uncommitted changes");

    [Fact]
    public void OnAGpu_TheHeadingAndThePeakNameTheDevice()
    {
        var gpu = new BenchDevice(new Device(TorchSharp.DeviceType.CUDA, 0), "cuda:0 (NVIDIA H200)", () => { });
        var text = Report(gpu);
        Assert.Contains("## Training speed on cuda:0 (NVIDIA H200) (`./gradguess bench --device cuda:0`)", text);
        Assert.Contains("the GPU's fp32 matmul peak (TF32 off), 8192³ `torch.mm` on cuda:0", text);
        Assert.DoesNotContain("one thread", text);
        Assert.DoesNotContain("this machine's fp32 matmul peak", text);
    }

    [Fact]
    public void OnTheCpu_TheRecordReadsAsBefore()
    {
        var cpu = BenchDevice.Of(CPU);
        Assert.False(cpu.IsCuda);
        Assert.Null(cpu.Synchronise);
        var text = Report(cpu);
        Assert.Contains("## Training speed, one thread (`./gradguess bench`)", text);
        Assert.Contains("this machine's fp32 matmul peak, 8192³ `torch.mm` in the same process", text);
        Assert.Contains("Commit: abc1234 with uncommitted changes.", text);   // what was measured, as the other benches say it
    }
}
