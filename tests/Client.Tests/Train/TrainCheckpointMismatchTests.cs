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

    /// <summary>The scale is left out of a checkpoint's configuration where it is 1, which the CLI says as 1, not "none".</summary>
    [Fact]
    public void Train_OnACheckpointOfAnotherOutputLrScale_SaysBothScales()
    {
        var ckpt = Path.Combine(_dir, "s.ckpt");
        var first = Support.CliRunner.Run([.. Tiny, "--method", "downstream", "--optimizer", "adamw", "--lr", "1e-2", "--checkpoint", ckpt]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var same = Support.CliRunner.Run([.. Tiny[..^2], "--epochs", "2", "--method", "downstream", "--optimizer", "adamw", "--lr", "1e-2",
            "--output-lr-scale", "1", "--checkpoint", ckpt]);
        Assert.True(same.ExitCode == 0, same.Stderr);                    // a scale of 1 is the checkpoint's own configuration

        var scaled = Support.CliRunner.Run([.. Tiny[..^2], "--epochs", "3", "--method", "downstream", "--optimizer", "adamw", "--lr", "1e-2",
            "--output-lr-scale", "0.4", "--checkpoint", ckpt]);

        Assert.Equal(2, scaled.ExitCode);
        var line = Assert.Single(scaled.StderrLines);
        Assert.Contains("--output-lr-scale: stored 1, now 0.4", line);
        Assert.DoesNotContain("OutputLrScale", line);
    }

    /// <summary>A cosine schedule anneals over the run's epochs: resuming it towards more epochs would re-anneal the epochs
    /// it trained, so it is refused naming --epochs; a constant warm-up has no horizon, and resumes towards more.</summary>
    [Fact]
    public void Train_OnACheckpointOfAnotherSchedule_NamesTheScheduleOrTheCosinesHorizon()
    {
        var cosine = Path.Combine(_dir, "cos.ckpt");
        string[] Run(string ckpt, params string[] more) => [.. Tiny[..^2], "--method", "wt", "--optimizer", "adamw", "--lr", "1e-2", "--checkpoint", ckpt, .. more];
        var first = Support.CliRunner.Run(Run(cosine, "--epochs", "2", "--schedule", "cosine"));
        Assert.True(first.ExitCode == 0, first.Stderr);

        var longer = Support.CliRunner.Run(Run(cosine, "--epochs", "3", "--schedule", "cosine"));
        var constant = Support.CliRunner.Run(Run(cosine, "--epochs", "2"));

        Assert.Equal(2, longer.ExitCode);
        Assert.Contains("--epochs (which the cosine anneals over): stored 2, now 3", Assert.Single(longer.StderrLines));
        Assert.Equal(2, constant.ExitCode);
        var line = Assert.Single(constant.StderrLines);
        Assert.Contains("--schedule: stored cosine, now constant", line);
        Assert.DoesNotContain("--warmup-epochs", line);   // 0 both, though the stored configuration spells it and the other leaves it out
        Assert.DoesNotContain("--epochs", line);

        var warm = Path.Combine(_dir, "warm.ckpt");
        Assert.Equal(0, Support.CliRunner.Run(Run(warm, "--epochs", "2", "--warmup-epochs", "1")).ExitCode);
        var on = Support.CliRunner.Run(Run(warm, "--epochs", "3", "--warmup-epochs", "1"));
        Assert.True(on.ExitCode == 0, on.Stderr);
        Assert.Contains("resumed from", on.Stderr);
    }

    /// <summary>Likewise the initialisation's scale, left out where it is 1.</summary>
    [Fact]
    public void Train_OnACheckpointOfAnotherInitScale_SaysBothScales()
    {
        var ckpt = Path.Combine(_dir, "i.ckpt");
        var first = Support.CliRunner.Run([.. Tiny, "--optimizer", "adamw", "--lr", "1e-2", "--init-scale", "0.5", "--checkpoint", ckpt]);
        Assert.True(first.ExitCode == 0, first.Stderr);

        var unscaled = Support.CliRunner.Run([.. Tiny[..^2], "--epochs", "2", "--optimizer", "adamw", "--lr", "1e-2", "--checkpoint", ckpt]);

        Assert.Equal(2, unscaled.ExitCode);
        var line = Assert.Single(unscaled.StderrLines);
        Assert.Contains("--init-scale: stored 0.5, now 1", line);
        Assert.DoesNotContain("InitScale", line);
    }

    /// <summary>Every field an option sets is named by its option, with the value as the option takes it: none in the
    /// trainer's own terms (Width, Cells[0].Optimizer.LearningRate), the seed (of data order and cell) once, and no
    /// field that only follows from another (StableAdamW's β₂ beside AdamW's), nor a count of unnamed ones.</summary>
    [Fact]
    public void Train_OnACheckpointOfOtherOptions_NamesEachOptionOnce_AndSaysTheWayOut()
    {
        var ckpt = Path.Combine(_dir, "b.ckpt");
        var first = Support.CliRunner.Run([.. Tiny, "--method", "wt", "--optimizer", "adamw", "--lr", "1e-2", "--checkpoint", ckpt]);
        Assert.True(first.ExitCode == 0, first.Stderr);

        var other = Support.CliRunner.Run(["train", "--data", "synthetic", "--width", "32", "--depth", "2", "--batch-size", "32", "--epochs", "1",
            "--method", "wt", "--optimizer", "stable-adamw", "--lr", "0.5", "--seed", "3", "--per-layer", "--normalise", "on", "--checkpoint", ckpt]);

        Assert.Equal(2, other.ExitCode);
        var line = Assert.Single(other.StderrLines);
        Assert.Contains("--width: stored 16, now 32", line);
        Assert.Contains("--batch-size: stored 64, now 32", line);
        Assert.Contains("--optimizer: stored adamw, now stable-adamw", line);
        Assert.Contains("--lr: stored 0.01, now 0.5", line);
        Assert.Contains("--per-layer: stored off, now on", line);
        Assert.Contains("--normalise: stored the method's default, now on", line);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, "--seed: stored 0, now 3"));
        Assert.DoesNotMatch(@"Width|Cells\[|Beta|Epsilon| more", line);
        Assert.EndsWith("train with the options it was written with, or give another --checkpoint file", line);
    }
}
