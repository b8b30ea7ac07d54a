using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Tests.Shared;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>A local sweep with <c>model.init</c>: every cell starts from the file's weights (one sweep's chosen cell, trained
/// on by another at a rate too small to move it, scores as it did), <c>status --spec</c> keeps the file and its digest, and
/// the same spec over a changed file, or a file that does not fit, is refused before training.</summary>
public sealed class LocalInitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-local-init-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Spec(string name, string model, string learningRates, int epochs)
    {
        var path = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            data: {"{"} set: synthetic, train: 1024, test: 256, features: 32 {"}"}
            model: {"{"} {model} {"}"}
            methods: [backprop, wt]
            optimizers: [adamw]
            learningRates: [{learningRates}]
            epochs: {epochs}
            batchSize: 64
            packing: lr
            """);
        return path;
    }

    private JsonNode[] Cells(string sweep, string state)
    {
        var r = CliRunner.Run("status", sweep, "--state-dir", state, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return [.. JsonNode.Parse(r.Stdout)!["cells"]!.AsArray().Select(c => c!)];
    }

    [Fact]
    public void EveryCell_StartsFromTheFile_WhichTheStoredSpecKeepsWithItsDigest_AndAChangedFileIsAnotherSweep()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(Spec("first", "depth: 2, width: 32", "1.0e-2", epochs: 3), state);
        var start = Path.Combine(_dir, "start.safetensors");
        var w = CliRunner.Run("weights", "first", "--state-dir", state, "--cell", "backprop-adamw-lr1e-2-seed0", "--out", start);
        Assert.True(w.ExitCode == 0, w.Stderr);
        var trained = SafetensorsContent.Read(start).Metadata["trainAccuracy"];

        // Written relative to the spec's folder; AdamW at 1e-12 moves no weight far enough to change a prediction.
        var spec = Spec("onward", "depth: 2, width: 32, init: start.safetensors", "1.0e-12", epochs: 1);
        LocalSpecs.Run(spec, state);

        var cells = Cells("onward", state);
        Assert.Equal(2, cells.Length);
        Assert.All(cells, c => Assert.Equal(double.Parse(trained, System.Globalization.CultureInfo.InvariantCulture), (double)c["trainAccuracy"]!));
        var stored = CliRunner.Run("status", "onward", "--state-dir", state, "--spec").Stdout;
        Assert.Contains($"init: \"{start}\", initDigest: ", stored);

        var other = Path.Combine(_dir, "other.safetensors");
        Assert.Equal(0, CliRunner.Run("weights", "first", "--state-dir", state, "--cell", "wt-adamw-lr1e-2-seed0", "--out", other).ExitCode);
        File.Copy(other, start, overwrite: true);
        var again = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("model.initDigest: stored ", again.Stderr);
    }

    [Fact]
    public void AFileThatDoesNotFitTheModel_OrIsMissing_IsRefusedBeforeTraining()
    {
        var state = Path.Combine(_dir, "state");
        var checkpoint = Path.Combine(_dir, "tiny.ckpt");
        Assert.Equal(0, CliRunner.Run("train", "--data", "synthetic", "--width", "8", "--depth", "1", "--method", "backprop", "--optimizer", "sgd",
            "--lr", "0.1", "--checkpoint", checkpoint).ExitCode);
        Assert.Equal(0, CliRunner.Run("weights", checkpoint, "--out", Path.Combine(_dir, "tiny.npz")).ExitCode);

        var misfit = CliRunner.Run("local", Spec("misfit", "depth: 2, width: 32, init: tiny.npz", "1.0e-2", 1), "--state-dir", state, "--metrics-port", "0");
        var missing = CliRunner.Run("local", Spec("missing", "depth: 2, width: 32, init: none.npz", "1.0e-2", 1), "--state-dir", state, "--metrics-port", "0");
        var plan = CliRunner.Run("plan", Spec("planned", "depth: 2, width: 32, init: tiny.npz", "1.0e-2", 1));

        Assert.Equal(2, misfit.ExitCode);
        Assert.Contains("model.init: ", misfit.Stderr);
        Assert.Contains("has no '4.weight'", misfit.Stderr);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"model.init: {Path.Combine(_dir, "none.npz")}: cannot be read", missing.Stderr);
        Assert.Equal(2, plan.ExitCode);
        Assert.Contains("has no '4.weight'", plan.Stderr);
        Assert.False(Directory.Exists(Path.Combine(state, "checkpoints", "misfit")));
    }
}
