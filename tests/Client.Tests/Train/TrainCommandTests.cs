using System.Text.Json;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Train;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-train-").FullName;
    private static readonly string[] Tiny = ["train", "--data", "synthetic", "--width", "16", "--depth", "2", "--batch-size", "64"];

    [Fact]
    public void Json_PrintsOneParsableObjectPerEpoch_AndNothingElseOnStdout()
    {
        var r = CliRunner.Run([.. Tiny, "--method", "wt", "--optimizer", "adamw", "--lr", "1e-2", "--epochs", "3", "--cosine-every", "5", "--json"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(3, r.StdoutLines.Length);
        for (int i = 0; i < 3; i++)
        {
            using var doc = JsonDocument.Parse(r.StdoutLines[i]);
            var o = doc.RootElement;
            Assert.Equal(i + 1, o.GetProperty("epoch").GetInt32());
            foreach (var field in new[] { "trainAccuracy", "testAccuracy", "trainLoss", "cosineSimilarity", "seconds", "evalSeconds" })
                Assert.True(o.GetProperty(field).GetDouble() >= 0, field);
            Assert.InRange(o.GetProperty("trainAccuracy").GetDouble(), 0, 1);
        }
    }

    [Fact]
    public void Checkpoint_ResumedRunContinuesTheCurveExactly()
    {
        var ckpt = Path.Combine(_dir, "cell.ckpt");
        string[] common = [.. Tiny, "--method", "downstream", "--optimizer", "stable-adamw", "--lr", "1e-2", "--json"];
        var straight = CliRunner.Run([.. common, "--epochs", "4"]);
        var first = CliRunner.Run([.. common, "--epochs", "2", "--checkpoint", ckpt]);
        var rest = CliRunner.Run([.. common, "--epochs", "4", "--checkpoint", ckpt]);
        Assert.Equal(0, straight.ExitCode);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, rest.ExitCode);
        var resumed = first.StdoutLines.Concat(rest.StdoutLines).Select(EpochCurve.Of).ToArray();
        Assert.Equal(straight.StdoutLines.Select(EpochCurve.Of).ToArray(), resumed);

        // Once there, asking for fewer epochs trains nothing, and says so on stderr (stdout stays JSON only).
        var again = CliRunner.Run([.. common, "--epochs", "2", "--checkpoint", ckpt]);
        Assert.Equal(0, again.ExitCode);
        Assert.Empty(again.Stdout);
        Assert.Contains("is already at epoch 4 (--epochs 2): nothing to train", Assert.Single(again.StderrLines));
    }

    [Theory]
    [InlineData(new string[0], "wt on synthetic")]
    [InlineData(new[] { "--per-layer", "--guesses", "2" }, "wt (--guesses 2, --per-layer) on synthetic")]
    [InlineData(new[] { "--normalise", "on" }, "wt (--normalise on) on synthetic")]
    public void TheHeader_NamesTheGuessOptionsGiven(string[] options, string expected)
    {
        var r = CliRunner.Run([.. Tiny, "--method", "wt", "--optimizer", "adamw", "--lr", "1e-3", "--epochs", "1", .. options]);
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith(expected + " (", r.StderrLines[0]);
    }

    /// <summary>A cosine without warm-up trains its first epoch at --lr, as a constant rate does, and the later ones lower;
    /// the header says the schedule.</summary>
    [Fact]
    public void ACosineSchedule_StartsAsTheConstantRate_ThenParts_AndTheHeaderSaysIt()
    {
        string[] common = [.. Tiny, "--method", "wt", "--optimizer", "adamw", "--lr", "3e-2", "--epochs", "3"];
        var constant = CliRunner.Run([.. common, "--json"]);
        var cosine = CliRunner.Run([.. common, "--json", "--schedule", "cosine"]);
        var plain = CliRunner.Run([.. common, "--schedule", "cosine", "--warmup-epochs", "1"]);
        Assert.True(cosine.ExitCode == 0, cosine.Stderr);
        var (a, b) = (constant.StdoutLines.Select(EpochCurve.Of).ToArray(), cosine.StdoutLines.Select(EpochCurve.Of).ToArray());
        Assert.Equal(a[0], b[0].Replace("|learningRate=0.03", ""));   // the rate each epoch trained at, said only when scheduled
        Assert.NotEqual(a[1], b[1]);
        Assert.Equal([0.03, 0.0225, 0.0075], cosine.StdoutLines.Select(l => Math.Round(JsonDocument.Parse(l).RootElement.GetProperty("learningRate").GetDouble(), 12)));
        Assert.Contains(", 3 epochs, learning rate cosine over 3 epochs, 1 warm-up", plain.StderrLines[0]);
        // Warmed up one epoch at half the rate, then the cosine over the other two: 1, then ½.
        Assert.Equal(["lr 1.5e-2", "lr 3e-2", "lr 1.5e-2"], plain.StdoutLines.Select(l => l[l.IndexOf("lr ", StringComparison.Ordinal)..]));
    }

    [Theory]
    [InlineData("wt", new[] { "--per-layer" }, true)]
    [InlineData("wt", new[] { "--per-layer", "--normalise", "on" }, false)]
    [InlineData("wt", new string[0], false)]
    [InlineData("downstream", new[] { "--per-layer" }, false)]                          // normalised by default
    [InlineData("downstream", new[] { "--per-layer", "--normalise", "off" }, true)]
    [InlineData("activation-perturbation", new[] { "--per-layer" }, false)]             // its guess is N(0, I) whatever the weights
    public void PerLayerGuessesSizedByTheWeights_NearTheOrigin_AreWarnedOf(string method, string[] options, bool warned)
    {
        var r = CliRunner.Run(["train", "--data", "synthetic", "--width", "16", "--depth", "3", "--batch-size", "64", "--init-scale", "0.01",
            "--method", method, "--optimizer", "adamw", "--lr", "1e-3", "--epochs", "1", "--json", .. options]);
        Assert.Equal(0, r.ExitCode);
        var warning = $"warning: --method {method} --per-layer, unnormalised, from --init-scale 0.01 at depth 3 under adamw: the hidden layers' updates " +
                      "fall below the optimizer's epsilon and the cell may stay at chance; --normalise on, or one pass (no --per-layer), trains it";
        Assert.Equal(warned ? [warning] : [], r.StderrLines);   // stderr even with --json; stdout stays the epochs' objects
        Assert.Single(r.StdoutLines);
    }

    [Fact]
    public void EffectiveRank_ShowsInTheTextLines_OnePerWeightMatrix()
    {
        var r = CliRunner.Run([.. Tiny, "--optimizer", "sgd", "--lr", "0.1", "--epochs", "1", "--effective-rank"]);
        Assert.Equal(0, r.ExitCode);
        var line = Assert.Single(r.StdoutLines, l => l.Contains("  rank ", StringComparison.Ordinal));
        var ranks = line[(line.IndexOf("  rank ", StringComparison.Ordinal) + 7)..].Split('/');
        Assert.Equal(3, ranks.Length);                           // depth 2: two hidden layers and the output layer
        Assert.All(ranks, x => Assert.InRange(double.Parse(x, System.Globalization.CultureInfo.InvariantCulture), 1.0, 64.0));
    }

    [Theory]
    [InlineData("dir")]
    [InlineData("missing/cell.ckpt")]
    public void CheckpointPathThatCannotBeAFile_ExitsTwoBeforeTraining(string relative)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "dir"));
        var r = CliRunner.Run([.. Tiny, "--optimizer", "sgd", "--lr", "0.1", "--checkpoint", Path.Combine(_dir, relative)]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--checkpoint", Assert.Single(r.StderrLines));
        Assert.Empty(r.Stdout);                                  // refused before the first epoch
    }

    [Fact]
    public void CorruptCheckpoint_ExitsTwoNamingTheFile_AndKeepsIt()
    {
        var ckpt = Path.Combine(_dir, "bad.ckpt");
        File.WriteAllText(ckpt, "this is not a checkpoint, only text long enough to look like one at first sight");
        var r = CliRunner.Run([.. Tiny, "--optimizer", "sgd", "--lr", "0.1", "--checkpoint", ckpt]);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.StderrLines);
        Assert.Contains(ckpt, r.Stderr);
        Assert.True(File.Exists(ckpt), "a refused checkpoint must not be deleted");
    }

    // A spec's bounds, in its words: train took up to 2^31-1 epochs and any batch size. The bad --device (checked after
    // the schedule) makes the old code refuse that instead of training for good.
    [Theory]
    [InlineData("--epochs", "2147483647", "--epochs must be between 1 and 1000000 (got 2147483647)")]
    [InlineData("--epochs", "1000001", "--epochs must be between 1 and 1000000 (got 1000001)")]
    [InlineData("--batch-size", "10000001", "--batch-size must be at most 10000000 (got 10000001): no data set is larger, and a batch larger than its set is the whole set")]
    public void ScheduleBeyondASpecsBounds_ExitsTwoInTheSpecsWords(string option, string value, string expected)
    {
        var r = CliRunner.Run(CliRunner.WithOption([.. Tiny, "--optimizer", "sgd", "--lr", "0.1", "--device", "none:0"], option, value));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: " + expected, Assert.Single(r.StderrLines));
        Assert.Empty(r.Stdout);
    }

    [Theory]
    [InlineData("--method", "sideways", "--method")]
    [InlineData("--optimizer", "adam", "--optimizer")]
    [InlineData("--lr", "0", "--lr must be a finite number > 0, got 0")]
    [InlineData("--lr", "Infinity", "--lr must be a finite number > 0")]
    [InlineData("--weight-decay", "1e400", "--weight-decay must be a finite number >= 0")]    // parses as +inf
    [InlineData("--momentum", "1", "--momentum must be in [0, 1)")]
    [InlineData("--output-lr-scale", "0", "--output-lr-scale must be a finite number > 0, got 0")]
    [InlineData("--output-lr-scale", "1e40", "--output-lr-scale makes the output layer's learning rate 1e+39 (0.1 × 1e+40), infinite in float32")]
    [InlineData("--init-scale", "0", "--init-scale must be from 1e-6 to 1000, got 0")]   // as a spec's model.initScale
    [InlineData("--init-scale", "NaN", "--init-scale must be from 1e-6 to 1000, got NaN")]
    [InlineData("--epochs", "0", "--epochs must be between 1 and 1000000 (got 0)")]   // as a spec's epochs
    [InlineData("--batch-size", "-5", "--batch-size must be >= 1, got -5")]
    [InlineData("--evaluate-every", "0", "--evaluate-every must be >= 1")]
    [InlineData("--cosine-every", "-1", "--cosine-every must be >= 0")]
    [InlineData("--guesses", "0", "--guesses must be >= 1")]
    [InlineData("--depth", "65", "--depth must be <= 64")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--width", "5000000", "--width must be <= 65536")]    // was a segfault
    [InlineData("--width", "65536", "more than one pack's flat tensors can index")]
    [InlineData("--data", "imagenet", "--data")]
    [InlineData("--device", "tpu:0", "--device")]
    [InlineData("--normalise", "maybe", "--normalise")]
    [InlineData("--seed", "-1", "--seed must be >= 0, got -1")]                 // as a spec's seeds
    [InlineData("--schedule", "linear", "--schedule: unknown 'linear' (known: constant, cosine)")]
    [InlineData("--schedule", "cosin", "--schedule: unknown 'cosin' (did you mean 'cosine'? known: constant, cosine)")]
    [InlineData("--warmup-epochs", "-1", "--warmup-epochs must be >= 0, got -1")]
    [InlineData("--warmup-epochs", "1", "--warmup-epochs must be fewer than --epochs (1), or no epoch trains at the full --lr (got 1)")]
    [InlineData("--normalise", "on", "--normalise: backprop has no activation guess")]   // options the method would ignore
    [InlineData("--per-layer", "true", "--per-layer: backprop has no per-layer tangent passes")]
    [InlineData("--guesses", "2", "--guesses: backprop draws no guess")]
    [InlineData("--matched-cosine", "0.5", "--matched-cosine: only matched-noise reads it")]
    public void InvalidOption_ExitsTwoWithOneLineNamingIt(string option, string value, string expected)
    {
        var r = CliRunner.Run(CliRunner.WithOption([.. Tiny, "--optimizer", "sgd", "--lr", "0.1"], option, value));
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.StderrLines);
        Assert.Contains(expected, r.Stderr);
        Assert.Empty(r.Stdout);
    }

    [Theory]
    [InlineData("adamw")]
    [InlineData("stable-adamw")]
    public void Momentum_ForAnOptimizerWithout_ExitsTwoNamingBoth(string optimizer)
    {
        var r = CliRunner.Run([.. Tiny, "--optimizer", optimizer, "--lr", "0.01", "--momentum", "0.9"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: --momentum: {optimizer} has no momentum (only sgd reads it)", Assert.Single(r.StderrLines));
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Divergence_IsReportedAsAResult_NotAFailure()
    {
        var r = CliRunner.Run([.. Tiny, "--method", "backprop", "--optimizer", "sgd", "--lr", "1e4", "--epochs", "3", "--json"]);
        Assert.Equal(0, r.ExitCode);
        // One line per epoch: every line but the last is finite, the last is diverged, and nothing is trained after it.
        var lines = r.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.NotEmpty(lines);
        Assert.True(lines.Length < 3, "training stops at the diverged epoch");
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.Equal(i + 1, lines[i].GetProperty("epoch").GetInt32());
            Assert.Equal(i == lines.Length - 1, lines[i].GetProperty("diverged").GetBoolean());
        }
    }

    /// <summary>An epoch line without its wall-clock fields.</summary>
    [Fact]
    public void MatchedNoiseAtC_TrainsAsTheOracleWithThatCosine_AndMeasuresIt()
    {
        string[] common = [.. Tiny, "--optimizer", "adamw", "--lr", "1e-2", "--epochs", "2", "--cosine-every", "1", "--json"];
        var at = CliRunner.Run([.. common, "--method", "matched-noise@0.3"]);
        var plain = CliRunner.Run([.. common, "--method", "matched-noise", "--matched-cosine", "0.3"]);
        Assert.Equal(0, at.ExitCode);
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(plain.StdoutLines.Select(EpochCurve.Of), at.StdoutLines.Select(EpochCurve.Of));
        foreach (var line in at.StdoutLines)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(0.3, doc.RootElement.GetProperty("cosineSimilarity").GetDouble(), 3);
            Assert.Equal(1.0, doc.RootElement.GetProperty("gradientProjection").GetDouble(), 3);   // g plus noise orthogonal to it
            Assert.Equal(1 / 0.3, doc.RootElement.GetProperty("updateNormRatio").GetDouble(), 3);
            Assert.Equal(doc.RootElement.GetProperty("layerCosineSimilarity").GetArrayLength(),
                doc.RootElement.GetProperty("layerStepCosine").EnumerateArray().Count(c => c.GetDouble() is > -1 and < 1));
        }
    }

    [Theory]
    [InlineData("matched-noise@0.30", "--method: 'matched-noise@0.30': write it matched-noise@0.3")]
    [InlineData("matched-noise@2", "--method: 'matched-noise@2': the cosine must be in (0, 1]")]
    [InlineData("matched-noise@tight", "--method: 'matched-noise@tight': the cosine after '@' must be a number")]
    [InlineData("wt@0.3", "--method: unknown 'wt@0.3'")]
    public void MalformedMatchedNoiseAtC_ExitsTwoInTheSpecsWords(string method, string expected)
    {
        var r = CliRunner.Run([.. Tiny, "--optimizer", "sgd", "--lr", "0.1", "--method", method]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, Assert.Single(r.StderrLines));
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void MatchedNoiseAtC_WithMatchedCosineToo_ExitsTwo_EvenWhenTheyAgree()
    {
        var r = CliRunner.Run([.. Tiny, "--optimizer", "sgd", "--lr", "0.1", "--method", "matched-noise@0.3", "--matched-cosine", "0.3"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: --matched-cosine: 'matched-noise@0.3' gives the cosine already: use one or the other", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void CheckpointOfAnotherCosine_IsRefusedNamingBothWaysToGiveIt()
    {
        var ckpt = Path.Combine(_dir, "oracle.ckpt");
        string[] common = [.. Tiny, "--optimizer", "sgd", "--lr", "0.1", "--checkpoint", ckpt];
        Assert.Equal(0, CliRunner.Run([.. common, "--method", "matched-noise@0.2"]).ExitCode);
        var r = CliRunner.Run([.. common, "--method", "matched-noise@0.3", "--epochs", "2"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--matched-cosine (or the C of --method matched-noise@C): stored 0.2, now 0.3", Assert.Single(r.StderrLines));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
