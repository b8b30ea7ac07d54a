using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Tests.Shared;

namespace GradGuessCluster.Client.Tests.Inspection;

/// <summary><c>inspect</c> on checkpoints that <c>train</c> wrote: what it shows, and what it refuses.</summary>
public sealed class InspectCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-inspect-").FullName;
    private static readonly string[] Tiny = ["train", "--data", "synthetic", "--width", "16", "--depth", "2", "--batch-size", "64", "--optimizer", "adamw", "--lr", "1e-2"];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Trains <paramref name="method"/> for two epochs into a checkpoint; returns its path and its last epoch's line.</summary>
    private (string Path, JsonNode Last) Train(string method, string name)
    {
        var path = Path.Combine(_dir, name + ".ckpt");
        var r = CliRunner.Run([.. Tiny, "--method", method, "--epochs", "2", "--checkpoint", path, "--json"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return (path, JsonNode.Parse(r.StdoutLines[^1])!);
    }

    [Fact]
    public void ACheckpoint_IsMeasuredOnItsTrainingSet_LayerByLayer_ItsAccuracyTheTrainersOwn()
    {
        var (path, last) = Train("wt", "wt");

        var json = CliRunner.Run("inspect", path, "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        var pack = JsonNode.Parse(json.Stdout)!;
        Assert.Equal(2, (int)pack["epoch"]!);
        Assert.Equal("wt", (string)pack["method"]!);
        Assert.Equal(2048, (long)pack["examples"]!);
        var cell = pack["cells"]![0]!;
        Assert.Equal(("adamw", 0.01, 0), ((string)cell["optimizer"]!, (double)cell["learningRate"]!, (int)cell["seed"]!));
        var anatomy = cell["anatomy"]!;
        // train evaluates the whole training set after its last epoch, as inspect does: the same weights, the same count.
        Assert.Equal((double)last["trainAccuracy"]!, (double)anatomy["accuracy"]!, 12);
        var layers = anatomy["layers"]!.AsArray();
        Assert.Equal(3, layers.Count);
        Assert.Equal(1.0, layers.Sum(l => (double)l!["gradientShare"]!), 6);
        Assert.Equal((64, 16), ((int)layers[0]!["inputs"]!, (int)layers[0]!["outputs"]!));
        Assert.Null(layers[2]!["activeFraction"]);
        Assert.InRange((double)layers[0]!["activeFraction"]!, 0.01, 0.99);

        var table = CliRunner.Run("inspect", path);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("wt on synthetic after epoch 2", table.Stdout);
        Assert.Contains("cell 0: adamw lr 1e-2 seed 0: train loss", table.Stdout);
        foreach (var row in new[] { "0 (64→16)", "1 (16→16)", "2 (16→10)", "in top 10" }) Assert.Contains(row, table.Stdout);
    }

    [Fact]
    public void ACellWithItsOwnOutputLayerRate_SaysIt_AndOneWithoutDoesNot()
    {
        var scaled = Path.Combine(_dir, "scaled.ckpt");
        var r = CliRunner.Run([.. Tiny, "--method", "downstream", "--epochs", "1", "--output-lr-scale", "0.4", "--checkpoint", scaled]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var (plain, _) = Train("downstream", "plain");

        var table = CliRunner.Run("inspect", scaled);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("cell 0: adamw lr 1e-2 (output layer × 0.4) seed 0: train loss", table.Stdout);
        var json = CliRunner.Run("inspect", scaled, "--json");
        Assert.Equal(0.4, (double)JsonNode.Parse(json.Stdout)!["cells"]![0]!["outputLrScale"]!);
        var other = CliRunner.Run("inspect", plain, "--json");
        Assert.Null(JsonNode.Parse(other.Stdout)!["cells"]![0]!["outputLrScale"]);
        Assert.Contains("cell 0: adamw lr 1e-2 seed 0: train loss", CliRunner.Run("inspect", plain).Stdout);
    }

    [Fact]
    public void ACellUnderASchedule_SaysIt_AndOneWithoutDoesNot()
    {
        var annealed = Path.Combine(_dir, "annealed.ckpt");
        var r = CliRunner.Run([.. Tiny, "--method", "wt", "--epochs", "2", "--schedule", "cosine", "--warmup-epochs", "1", "--checkpoint", annealed]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var (plain, _) = Train("wt", "plain");

        Assert.Contains("cell 0: adamw lr 1e-2 (cosine over 2 epochs, 1 warm-up) seed 0: train loss", CliRunner.Run("inspect", annealed).Stdout);
        Assert.Equal("cosine over 2 epochs, 1 warm-up", (string?)JsonNode.Parse(CliRunner.Run("inspect", annealed, "--json").Stdout)!["cells"]![0]!["schedule"]);
        Assert.Null(JsonNode.Parse(CliRunner.Run("inspect", plain, "--json").Stdout)!["cells"]![0]!["schedule"]);
    }

    [Fact]
    public void APackWithScaledInitialWeights_SaysIt_AndOneWithoutDoesNot()
    {
        var scaled = Path.Combine(_dir, "init.ckpt");
        var r = CliRunner.Run([.. Tiny, "--method", "wt", "--epochs", "1", "--init-scale", "0.5", "--checkpoint", scaled]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var (plain, _) = Train("wt", "plain");

        var table = CliRunner.Run("inspect", scaled);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("wt on synthetic, initial weights × 0.5, after epoch 1", table.Stdout);
        Assert.Equal(0.5, (double)JsonNode.Parse(CliRunner.Run("inspect", scaled, "--json").Stdout)!["initScale"]!);
        Assert.Null(JsonNode.Parse(CliRunner.Run("inspect", plain, "--json").Stdout)!["initScale"]);
        Assert.DoesNotContain("initial weights", CliRunner.Run("inspect", plain).Stdout);
    }

    [Fact]
    public void APacksGuessOptions_AreNamed_AsTrainTakesThem()
    {
        var guessed = Path.Combine(_dir, "k4.ckpt");
        var r = CliRunner.Run([.. Tiny, "--method", "downstream", "--epochs", "1", "--guesses", "4", "--per-layer", "--normalise", "off",
            "--checkpoint", guessed]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var (plain, _) = Train("downstream", "plain");

        var table = CliRunner.Run("inspect", guessed);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("downstream (--guesses 4, --per-layer, --normalise off) on synthetic after epoch 1", table.Stdout);
        var json = JsonNode.Parse(CliRunner.Run("inspect", guessed, "--json").Stdout)!;
        Assert.Equal((4, false, false), ((int)json["guesses"]!, (bool)json["onePass"]!, (bool)json["normalise"]!));
        var other = JsonNode.Parse(CliRunner.Run("inspect", plain, "--json").Stdout)!;
        Assert.Equal((1, true, true), ((int)other["guesses"]!, (bool)other["onePass"]!, (bool)other["normalise"]!));   // downstream's default
        Assert.Contains("downstream on synthetic after epoch 2", CliRunner.Run("inspect", plain).Stdout);

        var oracle = Path.Combine(_dir, "oracle.ckpt");   // its cosine is in its name, not said twice
        Assert.Equal(0, CliRunner.Run([.. Tiny, "--method", "matched-noise@0.5", "--epochs", "1", "--checkpoint", oracle]).ExitCode);
        Assert.Contains($"{oracle}: matched-noise@0.5 on synthetic after epoch 1", CliRunner.Run("inspect", oracle).Stdout);
    }

    [Fact]
    public void ADirectory_IsEveryCheckpointInIt_AndDirectionsAreCounted()
    {
        Train("backprop", "a");
        Train("activation-perturbation", "b");

        var r = CliRunner.Run("inspect", _dir, "--json", "--directions", "3");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var packs = JsonNode.Parse(r.Stdout)!["packs"]!.AsArray();
        Assert.Equal(["backprop", "activation-perturbation"], packs.Select(p => (string)p!["method"]!));
        Assert.All(packs, p => Assert.Equal(3, (int)p!["cells"]![0]!["anatomy"]!["directions"]!));
        Assert.Contains("inspected 1 of 2: ", r.Stderr);   // progress on stderr, the JSON alone on stdout
    }

    [Fact]
    public void ASweepByName_IsItsCurrentCheckpoints_NotAnEarlierSweepsOfThatName()
    {
        var state = Path.Combine(_dir, "state");
        DirectoryCopy.Copy(Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "state-2026-12-01"), state);
        var sweep = Path.Combine(state, "checkpoints", "golden");
        var (stale, _) = Train("activation-perturbation", "stale");
        // What a deleted sweep's pack still stopping may leave beside the new sweep of its name: another incarnation's file.
        File.Copy(stale, Path.Combine(sweep, "0123456789abcdef.000000000000.ckpt"));

        var r = CliRunner.Run("inspect", "golden", "--state-dir", state, "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var pack = JsonNode.Parse(r.Stdout)!;   // one pack: a single object, not a list
        Assert.Equal(Path.Combine(sweep, "105f8eef7026de76.b3fded5c24a8.ckpt"), (string)pack["checkpoint"]!);
        Assert.Contains($"left out 1 checkpoint in {sweep} of an earlier sweep named 'golden'", r.Stderr);

        File.Delete(Path.Combine(sweep, "105f8eef7026de76.b3fded5c24a8.ckpt"));
        var none = CliRunner.Run("inspect", "golden", "--state-dir", state);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains($"sweep 'golden' in {state} has no checkpoint yet", none.Stderr);

        // A sweep the state does not hold: its directory's files are a deleted sweep's, named but not read.
        var gone = Directory.CreateDirectory(Path.Combine(state, "checkpoints", "gone")).FullName;
        File.Copy(stale, Path.Combine(gone, "0123456789abcdef.000000000000.ckpt"));
        var deleted = CliRunner.Run("inspect", "gone", "--state-dir", state);
        Assert.Equal(2, deleted.ExitCode);
        Assert.Contains($"{state} holds no sweep 'gone'; {gone} holds 1 checkpoint of a deleted sweep of that name", deleted.Stderr);
        Assert.Empty(deleted.Stdout);
    }

    [Fact]
    public void DataOtherThanTheCheckpointTrainedOn_IsMeasured_WithAWarning()
    {
        using var files = new DataFixtures();
        var data = files.WriteIdxSet(train: 256, test: 64, gzip: false);
        var path = Path.Combine(_dir, "digits.ckpt");
        var train = CliRunner.Run("train", "--data", "mnist", "--data-dir", data, "--width", "8", "--depth", "1", "--batch-size", "64",
            "--optimizer", "sgd", "--lr", "0.1", "--checkpoint", path);
        Assert.True(train.ExitCode == 0, train.Stderr);

        var same = CliRunner.Run("inspect", path, "--data-dir", data);
        DataFixtures.ChangeLastLabel(Path.Combine(data, "train-labels-idx1-ubyte"));
        var other = CliRunner.Run("inspect", path, "--data-dir", data);

        Assert.True(same.ExitCode == 0, same.Stderr);
        Assert.DoesNotContain("warning", same.Stderr);
        Assert.True(other.ExitCode == 0, other.Stderr);
        Assert.Contains($"warning: {path} was trained on other mnist files than those read here", other.Stderr);
        Assert.Contains("cell 0: sgd lr 1e-1 seed 0: train loss", other.Stdout);

        // Without --data-dir the set's default place (under an empty cache here) is read, and said to be the wrong one.
        var cache = Directory.CreateDirectory(Path.Combine(_dir, "cache")).FullName;
        var elsewhere = CliRunner.Run(TimeSpan.FromMinutes(3), null, new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cache }, "inspect", path);
        Assert.Equal(2, elsewhere.ExitCode);
        Assert.Contains(cache, elsewhere.Stderr);
        Assert.Contains($"(inspecting {path}: give --data-dir where the files it trained on are)", elsewhere.Stderr);
    }

    [Theory]
    [InlineData("state-2026-11-30", 2)]
    [InlineData("state-2026-12-01", 1)]
    public void CheckpointsOfEarlierBuilds_AreRead(string stored, int packs)
    {
        var r = CliRunner.Run("inspect", "golden", "--state-dir", Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", stored), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = JsonNode.Parse(r.Stdout)!;
        var read = packs == 1 ? [json] : json["packs"]!.AsArray().ToArray();
        Assert.Equal(packs, read.Length);
        Assert.All(read, p => Assert.InRange((double)p!["cells"]![0]!["anatomy"]!["accuracy"]!, 0.05, 1));
    }

    [Fact]
    public void WhatIsNotACheckpoint_IsRefusedWithWhatIsWrong()
    {
        var (path, _) = Train("backprop", "good");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5A;
        var broken = Path.Combine(_dir, "broken.ckpt");
        File.WriteAllBytes(broken, bytes);
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        var state = Path.Combine(_dir, "state");
        var golden = Path.Combine(_dir, "golden");
        DirectoryCopy.Copy(Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "state-2026-12-01"), golden);
        File.Copy(path, Path.Combine(Directory.CreateDirectory(Path.Combine(state, "checkpoints", "sweep")).FullName, "p.ckpt"));

        foreach (var (args, message) in new (string[], string)[]
        {
            (["inspect", broken], $"checkpoint {broken}:"),
            (["inspect", Path.Combine(_dir, "missing.ckpt")], "no file or directory at"),
            (["inspect", empty], "holds no checkpoint"),
            (["inspect", state], "these directories in it hold some: checkpoints/sweep"),
            (["inspect", "other", "--state-dir", golden], $"{golden} holds no sweep 'other'"),
            (["inspect", "sweep", "--state-dir", state], "not a gradguess state directory (no state/ inside)"),
            (["inspect", "../sweep", "--state-dir", golden], "is a sweep's name: '../sweep' must use only"),
            (["inspect", path, "--directions", "0"], "--directions: expected at least 1"),
        })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(message, r.Stderr);
            Assert.Empty(r.Stdout);
        }
    }
}
