using System.Text.Json.Nodes;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Export;

/// <summary>A sweep evaluated every other epoch still records every epoch's loss and cosine: <c>export --all-epochs</c>
/// writes them, and <c>plot --metric loss|cosine|step-cosine|gradient-share</c> draws them.</summary>
public sealed class AllEpochsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-every-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheEpochsBetweenEvaluations_AreExportedWithTheirLossAndCosine_AndPlotted()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(LocalSpecs.Write(_dir, "every", epochs: 4, extra: "evaluateEvery: 2\ndiagnostics: { cosineEvery: 4 }"), state);

        var evaluated = CliRunner.Run("export", "every", "--state-dir", state, "--format", "json");
        var every = CliRunner.Run("export", "every", "--state-dir", state, "--format", "json", "--all-epochs");
        Assert.True(evaluated.ExitCode == 0 && every.ExitCode == 0, evaluated.Stderr + every.Stderr);
        var some = JsonNode.Parse(evaluated.Stdout)!.AsArray();
        var all = JsonNode.Parse(every.Stdout)!.AsArray();
        Assert.Equal(4 * 2, some.Count);                                  // 4 cells, epochs 2 and 4
        Assert.Equal(4 * 4, all.Count);
        foreach (var row in all)
        {
            var epoch = (int)row!["epoch"]!;
            Assert.True(double.IsFinite((double)row["trainLoss"]!) && (double)row["cosineSimilarity"]! > -1, $"epoch {epoch}");
            if (epoch % 2 == 1) Assert.Null(row["trainAccuracy"]);
            else Assert.Equal(some.Single(r => (string?)r!["cellId"] == (string?)row["cellId"] && (int)r!["epoch"]! == epoch)!.ToJsonString(),
                row.ToJsonString());
        }

        // The epoch axis runs from 0 to 4: epoch 1 lies at a quarter of it, the first evaluation at half. The loss curves
        // of both learning rates start at epoch 1, so they cross the stretch between; the accuracy curves do not.
        Assert.True(LeftOfFirstEvaluation(Plot(state, "loss")).All(n => n > 20));
        Assert.True(LeftOfFirstEvaluation(Plot(state, "step-cosine")).All(n => n > 20));
        Assert.True(LeftOfFirstEvaluation(Plot(state, "gradient-share", "--layer", "2")).All(n => n > 20));   // the output layer's
        // Backprop's cosines are 1 at both rates, one line over the other: the wt panel's (the last two counts) tell.
        Assert.True(LeftOfFirstEvaluation(Plot(state, "cosine", "--layer", "0")).Skip(2).All(n => n > 20));
        Assert.True(LeftOfFirstEvaluation(Plot(state, "train")).All(n => n == 0));
    }

    private string Plot(string state, string metric, params string[] more)
    {
        var png = Path.Combine(_dir, metric + ".png");
        var plot = CliRunner.Run(["plot", "every", "--state-dir", state, "--metric", metric, "--out", png, "--width", "800", "--height", "600", .. more]);
        Assert.True(plot.ExitCode == 0, plot.Stderr);
        return png;
    }

    /// <summary>Per panel (backprop, wt × adamw) and learning rate, the pixels of its colour between 30 and 45 % of the
    /// epoch axis.</summary>
    private static IEnumerable<int> LeftOfFirstEvaluation(string png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var layout = new PlotLayout(800, 600, 2, 1);
        var counts = new List<int>();
        for (int row = 0; row < 2; row++)
        {
            var area = layout.PlotArea(row, 0);
            foreach (var colour in CurvePalette.Colors.Take(2))
                counts.Add(Enumerable.Range((int)(area.Left + 0.30f * area.Width), (int)(0.15f * area.Width))
                    .Sum(x => Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Count(y => PngCurves.Near(bitmap.GetPixel(x, y), colour))));
        }
        return counts;
    }
}
