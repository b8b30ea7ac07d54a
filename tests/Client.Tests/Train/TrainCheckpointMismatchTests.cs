namespace GradGuessCluster.Client.Tests.Train;

/// <summary>A checkpoint of another method or optimizer is refused in the CLI's names for them.</summary>
public sealed class TrainCheckpointMismatchTests : IDisposable
{
    private static readonly string[] Tiny = ["train", "--data", "synthetic", "--width", "16", "--depth", "2", "--batch-size", "64", "--epochs", "1"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-train-mm-" + Guid.NewGuid().ToString("N")[..8]);

    public TrainCheckpointMismatchTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Train_OnACheckpointOfAnotherMethodAndOptimizer_NamesThemAsTheOptionsDo()
    {
        var ckpt = Path.Combine(_dir, "a.ckpt");
        var first = Support.CliRunner.Run([.. Tiny, "--method", "wt", "--optimizer", "adamw", "--lr", "1e-2", "--checkpoint", ckpt]);
        Assert.True(first.ExitCode == 0, first.Stderr);

        var method = Support.CliRunner.Run([.. Tiny, "--method", "backprop", "--optimizer", "adamw", "--lr", "1e-2", "--checkpoint", ckpt]);
        var optimizer = Support.CliRunner.Run([.. Tiny, "--method", "wt", "--optimizer", "sgd", "--lr", "1e-2", "--checkpoint", ckpt]);

        Assert.Equal(2, method.ExitCode);
        var line = Assert.Single(method.StderrLines);
        Assert.Contains("(fingerprint mismatch): ", line);
        Assert.Contains("--method: stored wt, now backprop", line);
        Assert.DoesNotContain("WTranspose", line);
        Assert.Equal(2, optimizer.ExitCode);
        line = Assert.Single(optimizer.StderrLines);
        Assert.Contains("--optimizer: stored adamw, now sgd", line);
        Assert.DoesNotContain("AdamW", line);
    }
}
