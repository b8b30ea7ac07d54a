using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary><c>local</c> on a machine whose memory cannot hold even one pack: refused before anything trains (a silo would
/// re-queue the pack for ever). The machine's memory is made 256 MiB for the process with a GC heap limit, which is what
/// .NET reports as the memory it may use.</summary>
public sealed class LocalMemoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-local-memory-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Local_APackLargerThanTheMachinesMemory_ExitsTwoBeforeTraining()
    {
        // 16.9M weights and biases a cell, AdamW, checkpoints every 2 epochs: at least 473 MB a pack, copy included.
        var spec = LocalSpecs.Write(_dir, "too-wide", epochs: 2, width: 4096);   // one epoch alone keeps no copy
        var state = Path.Combine(_dir, "state");
        var limited = new Dictionary<string, string?>(CliRunner.NoClusterEnvironment) { ["DOTNET_GCHeapHardLimit"] = "0x10000000" };

        var run = CliRunner.Run(TimeSpan.FromMinutes(2), null, limited, "local", spec, "--state-dir", state, "--metrics-port", "0", "--gpus", "0");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("gradguess: a training pack holds at least ", line);
        Assert.Contains("and their copy for a stop mid-epoch to roll back to), more than this machine's 256 MiB: it could never train on its CPU", line);
        Assert.False(Directory.Exists(state), "refused before the state directory is touched");

        // Under the same limit a narrow spec trains: the pack's size is refused, not the limit.
        var narrow = LocalSpecs.Write(_dir, "narrow", epochs: 1);
        var ok = CliRunner.Run(TimeSpan.FromMinutes(3), null, limited, "local", narrow, "--state-dir", state, "--metrics-port", "0", "--gpus", "0");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("sweep narrow completed", ok.Stdout + ok.Stderr);
    }
}
