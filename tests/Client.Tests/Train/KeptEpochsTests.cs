using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Train;

/// <summary><c>train --keep-epochs</c>: the listed epochs' checkpoints kept beside --checkpoint's file, each a real
/// checkpoint of that epoch (a train resumed from it goes on as the uninterrupted one did).</summary>
public sealed class KeptEpochsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-keep-").FullName;
    private static readonly string[] Cell = ["train", "--data", "synthetic", "--width", "16", "--depth", "2", "--batch-size", "64",
        "--method", "wt", "--optimizer", "adamw", "--lr", "1e-2"];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheListedEpochs_AreKept_AndEachResumesAsTheRunWentOn()
    {
        var ckpt = Path.Combine(_dir, "wt.ckpt");
        var run = CliRunner.Run([.. Cell, "--epochs", "3", "--checkpoint", ckpt, "--keep-epochs", "0, 2"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["wt.ckpt", "wt.epoch-0.ckpt", "wt.epoch-2.ckpt"],
            Directory.GetFiles(_dir, "*.ckpt").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains($"kept epoch 2: {Path.Combine(_dir, "wt.epoch-2.ckpt")}", run.Stderr);

        // Each is that epoch's whole state: continued, it gives the epochs after it exactly (timings aside).
        var json = CliRunner.Run([.. Cell, "--epochs", "3", "--json"]);
        var straight = json.StdoutLines.Select(EpochCurve.Of).ToArray();
        foreach (var (kept, from) in new[] { ("wt.epoch-0.ckpt", 0), ("wt.epoch-2.ckpt", 2) })
        {
            var copy = Path.Combine(_dir, "resume-" + kept);
            File.Copy(Path.Combine(_dir, kept), copy);
            var rest = CliRunner.Run([.. Cell, "--epochs", "3", "--checkpoint", copy, "--json"]);
            Assert.True(rest.ExitCode == 0, rest.Stderr);
            Assert.Equal(straight[from..], rest.StdoutLines.Select(EpochCurve.Of).ToArray());
        }

        // Epoch 0 is the weights before training: inspect reads it as such.
        var initial = CliRunner.Run("inspect", Path.Combine(_dir, "wt.epoch-0.ckpt"), "--json");
        Assert.True(initial.ExitCode == 0, initial.Stderr);
        Assert.Equal(0, (int)JsonNode.Parse(initial.Stdout)!["epoch"]!);

        // Resumed past an epoch it was asked for (whose file is not there): said, not silently skipped.
        File.Delete(Path.Combine(_dir, "wt.epoch-2.ckpt"));
        var later = CliRunner.Run([.. Cell, "--epochs", "4", "--checkpoint", ckpt, "--keep-epochs", "2,4"]);
        Assert.True(later.ExitCode == 0, later.Stderr);
        Assert.Contains($"note: --keep-epochs 2: {ckpt} resumes after epoch 3, so they cannot be kept now", later.Stderr);
        Assert.True(File.Exists(Path.Combine(_dir, "wt.epoch-4.ckpt")));
    }

    [Theory]
    [InlineData("--keep-epochs 5", "--keep-epochs: 5 is past --epochs 3")]
    [InlineData("--keep-epochs 1,x", "--keep-epochs: 'x' is not an epoch")]
    [InlineData("--keep-epochs -1", "--keep-epochs: '-1' is not an epoch")]
    [InlineData("--keep-epochs 1 --no-checkpoint", "--keep-epochs needs --checkpoint FILE")]
    public void BadLists_AreRefusedBeforeTraining(string options, string message)
    {
        var ckpt = Path.Combine(_dir, "bad.ckpt");
        string[] given = options.Split(' ');
        var args = given.Contains("--no-checkpoint") ? given.Where(a => a != "--no-checkpoint") : given.Append("--checkpoint").Append(ckpt);
        var r = CliRunner.Run([.. Cell, "--epochs", "3", .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.False(File.Exists(ckpt));
    }
}
