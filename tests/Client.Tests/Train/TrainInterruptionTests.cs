using GradGuessCluster.Client.Tests.Local;

namespace GradGuessCluster.Client.Tests.Train;

/// <summary>Ctrl-C of <c>train</c> says whether running it again resumes (exit 1 either way).</summary>
public sealed class TrainInterruptionTests : IDisposable
{
    private static readonly string[] Long = ["train", "--data", "synthetic", "--width", "16", "--depth", "2", "--batch-size", "64", "--optimizer", "sgd", "--lr", "1e-2", "--epochs", "100000"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-train-int-" + Guid.NewGuid().ToString("N")[..8]);

    public TrainInterruptionTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Train_CtrlCWithACheckpoint_SaysTheSameCommandResumes()
    {
        var ckpt = Path.Combine(_dir, "a.ckpt");
        using var run = new LocalProcess([.. Long, "--checkpoint", ckpt]);
        for (var deadline = DateTime.UtcNow.AddSeconds(90); !File.Exists(ckpt); await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline && !run.HasExited, "no checkpoint was written: " + run.Stderr);
        run.Signal("INT");

        Assert.Equal(1, run.WaitForExit(TimeSpan.FromSeconds(60)));
        var lines = run.Stderr.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains($"interrupted: running the same command again resumes from {ckpt} (saved after each epoch)", lines);
        Assert.Contains("gradguess: cancelled", lines);
    }

    [Fact]
    public async Task Train_CtrlCBeforeTheFirstCheckpoint_DoesNotPromiseAResume()
    {
        // It said "running the same command again resumes from FILE" though no epoch had ended and FILE did not exist.
        var ckpt = Path.Combine(_dir, "b.ckpt");
        // Fashion-MNIST at batch 1: 60,000 steps, seconds in the first epoch.
        using var run = new LocalProcess(["train", "--data", "fashion-mnist", "--width", "16", "--depth", "1", "--batch-size", "1",
            "--optimizer", "sgd", "--lr", "1e-3", "--epochs", "3", "--checkpoint", ckpt]);
        for (var deadline = DateTime.UtcNow.AddSeconds(90); !run.Stderr.Contains("epoch  train-loss"); await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline && !run.HasExited, "training did not start: " + run.Stderr);
        run.Signal("INT");

        Assert.Equal(1, run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.True(run.Stdout.Trim().Length == 0, "an epoch ended before the signal: " + run.Stdout);
        var lines = run.Stderr.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains($"interrupted before its first epoch ended: nothing is kept in {ckpt} yet, and running the same command again starts over", lines);
        Assert.False(File.Exists(ckpt));
    }

    [Fact]
    public async Task Train_CtrlCWithoutACheckpoint_SaysNothingIsKept()
    {
        using var run = new LocalProcess(Long);
        for (var deadline = DateTime.UtcNow.AddSeconds(90); run.Stdout.Trim().Length == 0; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline && !run.HasExited, "no epoch was trained: " + run.Stderr);
        run.Signal("INT");

        Assert.Equal(1, run.WaitForExit(TimeSpan.FromSeconds(60)));
        var lines = run.Stderr.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("interrupted: nothing is kept (give --checkpoint FILE to be able to resume a train)", lines);
        Assert.Contains("gradguess: cancelled", lines);
    }
}
