using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client.Tests.Silo;

/// <summary><c>gradguess silo</c> refusing what it cannot run, before anything starts: the real client process.</summary>
public sealed class SiloCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-silo-" + Guid.NewGuid().ToString("N")[..8]);

    public SiloCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Silo_MoreGpusThanTorchSharpSees_ExitsTwoAtStartNamingTheSetting()
    {
        int visible = TorchRuntime.CudaDeviceCount();
        var result = CliRunner.Run(TimeSpan.FromSeconds(60), null, "silo", "--gpus", $"{visible + 1}", "--state-dir", _dir);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.Contains("GradGuess:GpuCount", line);
        Assert.Contains($"TorchSharp sees {visible} CUDA device(s)", line);
    }
}
