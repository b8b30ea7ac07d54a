using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Tests.Shared;

namespace GradGuessCluster.Client.Tests.Train;

/// <summary><c>train --init FILE</c>: a run starts from a weights file's weights (its epoch-0 checkpoint holds exactly
/// them), a guessing method trained on from a backprop cell's Fashion-MNIST weights starts where backprop got to, a resume
/// refuses a file changed since, and a file that does not fit the model is refused naming it.</summary>
public sealed class TrainInitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-train-init-").FullName;
    private static readonly string[] Tiny = ["train", "--data", "synthetic", "--width", "16", "--depth", "2", "--batch-size", "64", "--optimizer", "adamw", "--lr", "1e-2"];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Path_(string name) => Path.Combine(_dir, name);

    private static string InitDigestOf(string file) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)))[..32];

    /// <summary>Trains a tiny backprop cell and writes its weights; returns the weights file.</summary>
    private string Weights(string name, string seed = "0")
    {
        var ckpt = Path_(name + ".ckpt");
        var r = CliRunner.Run([.. Tiny, "--method", "backprop", "--epochs", "2", "--seed", seed, "--checkpoint", ckpt]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var file = Path_(name + ".safetensors");
        var w = CliRunner.Run("weights", ckpt, "--out", file);
        Assert.True(w.ExitCode == 0, w.Stderr);
        return file;
    }

    [Fact]
    public void ARun_StartsFromTheFilesWeights_AsItsEpochZeroCheckpointShows()
    {
        var init = Weights("start");
        var ckpt = Path_("from.ckpt");

        var r = CliRunner.Run([.. Tiny, "--method", "wt", "--epochs", "1", "--init", init, "--checkpoint", ckpt, "--keep-epochs", "0"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var before = Path_("before.safetensors");
        Assert.Equal(0, CliRunner.Run("weights", Path_("from.epoch-0.ckpt"), "--out", before).ExitCode);

        var want = SafetensorsContent.Read(init);
        var got = SafetensorsContent.Read(before);
        Assert.Equal(want.Tensors.Select(t => (t.Name, t.Values)), got.Tensors.Select(t => (t.Name, t.Values)));
        Assert.Contains("\"InitDigest\":", got.Metadata["configuration"]);
        Assert.Contains($"wt on synthetic, started from a weights file (digest {InitDigestOf(init)}), after epoch 1", CliRunner.Run("inspect", ckpt).Stdout);
        Assert.Contains($"2×16 MLP from {init}, batch 64", CliRunner.Run([.. Tiny, "--method", "wt", "--epochs", "1", "--init", init]).Stderr);
    }

    [Fact]
    public void AResume_RefusesAFileChangedSince_AndAnotherFileIsAnotherConfiguration()
    {
        var init = Weights("a");
        var other = Weights("b", seed: "1");
        var ckpt = Path_("run.ckpt");
        Assert.Equal(0, CliRunner.Run([.. Tiny, "--method", "wt", "--epochs", "1", "--init", init, "--checkpoint", ckpt]).ExitCode);

        var another = CliRunner.Run([.. Tiny, "--method", "wt", "--epochs", "2", "--init", other, "--checkpoint", ckpt]);
        Assert.Equal(2, another.ExitCode);
        Assert.Contains("--init (the weights file's digest)", another.Stderr);

        File.Copy(other, init, overwrite: true);   // the same name, other weights: the checkpoint's run did not start from these
        var changed = CliRunner.Run([.. Tiny, "--method", "wt", "--epochs", "2", "--init", init, "--checkpoint", ckpt]);
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("--init (the weights file's digest)", changed.Stderr);
    }

    [Fact]
    public void AFileThatDoesNotFitTheModel_OrBesideInitScale_IsRefused()
    {
        var init = Weights("fit");
        foreach (var (args, message) in new (string[], string)[]
        {
            ([.. CliRunner.WithOption(Tiny, "--width", "32"), "--method", "wt", "--init", init], "'0.weight' is [16, 64], and a 2 × 32 MLP on 64 inputs and 10 classes needs [32, 64]"),
            ([.. Tiny, "--method", "wt", "--init", init, "--init-scale", "0.5"], "--init-scale"),
            ([.. Tiny, "--method", "wt", "--init", Path_("none.safetensors")], "--init: no file at"),
            ([.. Tiny, "--method", "wt", "--init", Path_("fit.ckpt")], "not a safetensors file"),
        })
        {
            var r = CliRunner.Run(args);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', args)}: exit {r.ExitCode}: {r.Stderr}");
            Assert.Contains(message, r.Stderr);
        }
    }

    [Fact]
    public void WtTrainedOnFromABackpropCellsFashionMnistWeights_StartsWhereBackpropGotTo()
    {
        string[] fmnist = ["train", "--data", "fashion-mnist", "--optimizer", "adamw", "--epochs", "1", "--json"];
        var ckpt = Path_("bp.ckpt");
        var bp = CliRunner.Run([.. fmnist, "--method", "backprop", "--lr", "1e-3", "--checkpoint", ckpt]);
        Assert.True(bp.ExitCode == 0, bp.Stderr);
        var init = Path_("bp.npz");
        Assert.Equal(0, CliRunner.Run("weights", ckpt, "--out", init).ExitCode);

        var scratch = CliRunner.Run([.. fmnist, "--method", "wt", "--lr", "1e-4"]);
        var onward = CliRunner.Run([.. fmnist, "--method", "wt", "--lr", "1e-4", "--init", init]);

        Assert.True(onward.ExitCode == 0, onward.Stderr);
        double Train(CliRunner.Result r) => (double)JsonNode.Parse(r.StdoutLines[^1])!["trainAccuracy"]!;
        // Backprop's one epoch reaches about 0.84; W^T's first epoch from scratch at this rate about 0.5, and from those
        // weights it keeps them (a small rate's guessed steps barely move a trained net).
        Assert.InRange(Train(onward), Train(bp) - 0.03, 1.0);
        Assert.True(Train(onward) > Train(scratch) + 0.1, $"from backprop's weights {Train(onward)}, from scratch {Train(scratch)}");
    }
}
