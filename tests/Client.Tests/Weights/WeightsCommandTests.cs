using System.Globalization;
using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Tests.Shared;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client.Tests.Weights;

/// <summary><c>weights</c>: files that NumPy reads back to the trainer's own accuracy on real data; a sweep's cells, all or
/// the chosen rates', each equal to its row of its pack's checkpoint; and what it refuses.</summary>
public sealed class WeightsCommandTests(SweepWeightsFixture sweep) : IClassFixture<SweepWeightsFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-weights-").FullName;
    private static string Evaluate => Path.Combine(RepoRoot.Path, "scripts", "evaluate-weights.py");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ACellTrainedOnFashionMnist_ScoresInNumPy_AsTheTrainerScoredIt_InBothFormats()
    {
        var checkpoint = Path.Combine(_dir, "bp.ckpt");
        var train = CliRunner.Run("train", "--data", "fashion-mnist", "--method", "backprop", "--optimizer", "adamw", "--lr", "1e-3",
            "--epochs", "1", "--checkpoint", checkpoint, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var last = JsonNode.Parse(train.StdoutLines[^1])!;

        foreach (var name in new[] { "bp.safetensors", "bp.npz" })
        {
            var file = Path.Combine(_dir, name);
            var r = CliRunner.Run("weights", checkpoint, "--out", file);
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Equal($"{file}: backprop adamw lr 1e-3 seed 0, epoch 1", r.Stdout.Trim());
            foreach (var (split, examples, trainer) in new[] { ("test", 10_000, (double)last["testAccuracy"]!), ("train", 60_000, (double)last["trainAccuracy"]!) })
            {
                var py = SystemPython.Run(Evaluate, file, "--split", split);
                Assert.True(py.ExitCode == 0, py.Stderr);
                var score = JsonNode.Parse(py.Stdout)!;
                Assert.Equal(examples, (int)score["examples"]!);
                // The same weights and pixels; only the order of float sums differs, which may flip an argmax at a near-tie.
                Assert.InRange((int)score["correct"]!, (int)Math.Round(trainer * examples) - 2, (int)Math.Round(trainer * examples) + 2);
            }
        }
        var meta = SafetensorsContent.Read(Path.Combine(_dir, "bp.safetensors")).Metadata;
        Assert.Equal("torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 128), torch.nn.ReLU(), " +
                     "torch.nn.Linear(128, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))", meta["architecture"]);
        Assert.Equal(("fashion-mnist", "[0.286]", "[0.353]", "1"), (meta["data"], meta["inputMean"], meta["inputStd"], meta["epoch"]));
        Assert.Matches("^[0-9a-f]{32}$", meta["dataDigest"]);
    }

    [Fact]
    public void ASweep_WritesEveryCellWithFiniteWeights_EachItsRowOfItsPacksCheckpoint_WithItsIdAndAccuracies()
    {
        var out_ = Path.Combine(_dir, "all");
        var r = CliRunner.Run("weights", SweepWeightsFixture.Sweep, "--state-dir", sweep.StateDir, "--out", out_);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["backprop-adamw-lr1e-2-seed0.safetensors", "backprop-adamw-lr1e-3-seed0.safetensors",
            "wt-adamw-lr1e-2-seed0.safetensors", "wt-adamw-lr1e-3-seed0.safetensors"],
            Directory.GetFiles(out_).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var method in new[] { "backprop", "wt" })
            Assert.Contains($"({method} adamw lr 1e+3 seed 0) diverged in epoch 1: its weights are not finite, not written", r.Stderr);

        TorchRuntime.EnsureInitialised();
        var status = Status();
        foreach (var cell in status.Where(c => (string)c["state"]! == "completed"))
        {
            var config = cell["config"]!;
            var file = Path.Combine(out_, $"{config["method"]}-adamw-lr{Rate((double)config["learningRate"]!)}-seed0.safetensors");
            var written = SafetensorsContent.Read(file);
            Assert.Equal((string)cell["cellId"]!, written.Metadata["cellId"]);
            Assert.Equal((double)cell["trainAccuracy"]!, double.Parse(written.Metadata["trainAccuracy"], CultureInfo.InvariantCulture));
            Assert.Equal((double)cell["testAccuracy"]!, double.Parse(written.Metadata["testAccuracy"], CultureInfo.InvariantCulture));
            var row = CheckpointRow((string)cell["packId"]!, (double)config["learningRate"]!);
            Assert.Equal(row, written.Tensors.SelectMany(t => t.Values).ToArray());   // W_0, b_0, W_1, ... as the pack keeps them
            Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], written.Tensors.Select(t => t.Name));
        }
    }

    [Fact]
    public void Best_WritesTheChosenRatesCells_AsTheResultsTableChoseThem_AndNpzOnRequest()
    {
        var out_ = Path.Combine(_dir, "best");
        var r = CliRunner.Run("weights", SweepWeightsFixture.Sweep, "--state-dir", sweep.StateDir, "--best", "--out", out_, "--format", "npz", "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var results = JsonNode.Parse(CliRunner.Run("results", SweepWeightsFixture.Sweep, "--state-dir", sweep.StateDir, "--json").Stdout)!;
        var chosen = results["rows"]!.AsArray().Select(row => $"{row!["method"]}-adamw-lr{Rate((double)row["bestLearningRate"]!)}-seed0.npz").ToList();
        Assert.Equal(chosen.Order(StringComparer.Ordinal), Directory.GetFiles(out_).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var listed = JsonNode.Parse(r.Stdout)!.AsArray();
        Assert.Equal(chosen, listed.Select(f => Path.GetFileName((string)f!["file"]!)));
        Assert.All(listed, f => Assert.Equal(2, (int)f!["epoch"]!));
    }

    [Fact]
    public void ACell_IsNamedAsItsFileIsOrByItsId_IntoOneFile()
    {
        var first = Status().First(c => (string)c["state"]! == "completed");
        var id = (string)first["cellId"]!;
        var byName = Path.Combine(_dir, "one.safetensors");
        var byId = Path.Combine(_dir, "two.safetensors");

        var a = CliRunner.Run("weights", SweepWeightsFixture.Sweep, "--state-dir", sweep.StateDir, "--cell",
            $"{first["config"]!["method"]}-adamw-lr{Rate((double)first["config"]!["learningRate"]!)}-seed0", "--out", byName);
        var b = CliRunner.Run("weights", SweepWeightsFixture.Sweep, "--state-dir", sweep.StateDir, "--cell", id[..6], "--out", byId);

        Assert.True(a.ExitCode == 0, a.Stderr);
        Assert.True(b.ExitCode == 0, b.Stderr);
        Assert.Equal(File.ReadAllBytes(byName), File.ReadAllBytes(byId));
        Assert.Equal(id, SafetensorsContent.Read(byId).Metadata["cellId"]);
    }

    [Fact]
    public void TheOraclesCells_AreNamedAsTheSweepNamesThem_PlainOrAtACosine()
    {
        var spec = Path.Combine(_dir, "oracle.yaml");
        File.WriteAllText(spec, """
            name: oracle
            data: { set: synthetic, train: 256, test: 64, features: 8 }
            model: { depth: 1, width: 8 }
            methods: [matched-noise, matched-noise@0.5]
            optimizers: [sgd]
            learningRates: [1.0e-2]
            epochs: 1
            batchSize: 64
            estimator: { matchedCosine: 0.3 }
            """);
        var state = Path.Combine(_dir, "state");
        Local.LocalSpecs.Run(spec, state);
        var out_ = Path.Combine(_dir, "oracle");

        var r = CliRunner.Run("weights", "oracle", "--state-dir", state, "--out", out_);

        Assert.True(r.ExitCode == 0, r.Stderr);
        var plain = SafetensorsContent.Read(Path.Combine(out_, "matched-noise-sgd-lr1e-2-seed0.safetensors")).Metadata;
        var at = SafetensorsContent.Read(Path.Combine(out_, "matched-noise@0.5-sgd-lr1e-2-seed0.safetensors")).Metadata;
        Assert.Equal(("matched-noise", "matched-noise@0.5"), (plain["method"], at["method"]));
        Assert.Contains("\"MatchedCosine\":0.3", plain["configuration"]);
        Assert.Contains("\"MatchedCosine\":0.5", at["configuration"]);
    }

    [Fact]
    public void WhatCannotBeWritten_IsRefused_BeforeAFileIsWritten()
    {
        var state = sweep.StateDir;
        var s = SweepWeightsFixture.Sweep;
        var diverged = (string)Status().First(c => (string)c["state"]! == "diverged")["cellId"]!;
        var text = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(text, "mine");
        var broken = Path.Combine(_dir, "broken.ckpt");
        var bytes = File.ReadAllBytes(Directory.GetFiles(Path.Combine(state, "checkpoints", s))[0]);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(broken, bytes);

        foreach (var (args, message) in new (string[], string)[]
        {
            ([s, "--state-dir", state, "--out", Path.Combine(_dir, "x.safetensors")], "is one file, and there are 4 cells to write"),
            ([s, "--best", "--out", _dir], "--best picks cells of a sweep: give --state-dir"),
            ([s, "--state-dir", state, "--best", "--cell", "abc", "--out", _dir], "--best and --cell: give one of them"),
            ([s, "--state-dir", state, "--cell", "nothing", "--out", _dir], "has no such cell: name one as METHOD-OPTIMIZER-lrLR-seedSEED (e.g. "),
            ([s, "--state-dir", state, "--cell", diverged, "--out", _dir], "diverged in epoch 1: its weights are not finite"),
            ([s, "--state-dir", state, "--out", Path.Combine(state, "w")], "is inside --state-dir"),
            ([s, "--state-dir", state, "--out", Path.Combine(_dir, "x.npz"), "--format", "safetensors"], "disagree"),
            ([s, "--state-dir", state, "--out", _dir, "--format", "pt"], "--format: expected safetensors or npz"),
            ([s, "--state-dir", state, "--out", text], "is a file but not .safetensors or .npz"),
            ([s, "--state-dir", state, "--out", "-"], "not standard output"),
            ([s, "--state-dir", state, "--out", Path.Combine(_dir, "missing", "deeper")], "does not exist"),
            ([broken, "--out", Path.Combine(_dir, "b.safetensors")], $"checkpoint {broken}:"),
            ([s, "--state-dir", state, "--checkpoint-dir", _dir, "--out", _dir], "--state-dir and --checkpoint-dir: a state directory holds its own"),
            ([s, "--checkpoint-dir", Path.Combine(_dir, "nowhere"), "--out", _dir], "--checkpoint-dir: no directory at"),
            ([s, "--checkpoint-dir", Path.Combine(state, "checkpoints"), "--out", Path.Combine(state, "checkpoints", "w")], "is inside --checkpoint-dir"),
            (["../up", "--checkpoint-dir", Path.Combine(state, "checkpoints"), "--out", _dir], "CHECKPOINT with --checkpoint-dir is a sweep's name"),
        })
        {
            var r = CliRunner.Run(["weights", .. args]);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', args)}: exit {r.ExitCode}, {r.Stderr}");
            Assert.Contains(message, r.Stderr);
            Assert.Empty(r.Stdout);
        }
        Assert.Equal(["broken.ckpt", "notes.txt"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("mine", File.ReadAllText(text));
    }

    private JsonNode[] Status()
    {
        var r = CliRunner.Run("status", SweepWeightsFixture.Sweep, "--state-dir", sweep.StateDir, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return [.. JsonNode.Parse(r.Stdout)!["cells"]!.AsArray().Select(c => c!)];
    }

    /// <summary>The cell of rate <paramref name="lr"/> in pack <paramref name="packId"/>'s checkpoint: its flat parameters.</summary>
    private float[] CheckpointRow(string packId, double lr)
    {
        var file = Directory.GetFiles(Path.Combine(sweep.StateDir, "checkpoints", SweepWeightsFixture.Sweep), packId + ".*.ckpt").Single();
        var state = CheckpointFile.Read(file);
        try
        {
            var spec = PackFingerprint.Read(state.Configuration!, state.Epoch);
            int p = spec.Cells.ToList().FindIndex(c => c.Optimizer.LearningRate == lr);
            return state.Tensors[CheckpointState.ModelTensor][p].contiguous().data<float>().ToArray();
        }
        finally
        {
            foreach (var t in state.Tensors.Values) t.Dispose();
        }
    }

    private static string Rate(double lr) => GradGuessCluster.Grains.Interfaces.LearningRateText.Of(lr);
}
