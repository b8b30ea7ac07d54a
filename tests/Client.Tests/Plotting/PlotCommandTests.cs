using System.Diagnostics;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Tests.Shared;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary><c>plot</c> as a user meets it on a stored state directory.</summary>
public sealed class PlotCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-plotcli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Plot_WhereEveryCurveIsUnreadable_NamesTheDamagedCellsBeforeRefusing()
    {
        // Damaged curves left no point to plot, and the refusal ("no epoch evaluated ... yet") came before the lines that
        // said which state files were the reason.
        var state = Path.Combine(_dir, "state");
        using (var cp = Process.Start("cp", ["-r", Path.Combine(RepoRoot.Path, "tests", "TestData", "state-2026-11-30"), state])) cp.WaitForExit();
        var chunks = Directory.GetFiles(Path.Combine(state, "state", "gg-curve", "golden"), "*.curve.state", SearchOption.AllDirectories);
        Assert.NotEmpty(chunks);
        foreach (var chunk in chunks) File.WriteAllText(chunk, "garbage");

        var r = CliRunner.Run("plot", "golden", "--state-dir", state, "--out", Path.Combine(_dir, "golden.png"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(r.StderrLines, l => l.Contains(" left out: ") && l.Contains("is corrupt"));
        Assert.Contains("has no epoch evaluated for every seed to plot yet", r.StderrLines[^1]);
        Assert.False(File.Exists(Path.Combine(_dir, "golden.png")));
    }

    [Fact]
    public void Plot_OfOneMethod_DrawsItsPanelsOnly_AndAMistypedOneIsNamed()
    {
        var state = Path.Combine(_dir, "state");
        using (var cp = Process.Start("cp", ["-r", Path.Combine(RepoRoot.Path, "tests", "TestData", "state-2026-11-30"), state])) cp.WaitForExit();
        var (all, one) = (Path.Combine(_dir, "all.png"), Path.Combine(_dir, "wt.png"));

        Assert.Equal(0, CliRunner.Run("plot", "golden", "--state-dir", state, "--out", all).ExitCode);
        var r = CliRunner.Run("plot", "golden", "--state-dir", state, "--out", one, "--method", "wt", "--optimizer", "adamw");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"wrote {one} (1600×{PlotLayout.DefaultHeight(1)}, 1 curve)", r.StderrLines);   // one row of panels, not two
        // A vector figure is a paper column's width unless told: 12-point labels read about 8 in a 6.5-inch column.
        var (pdf, wide) = (Path.Combine(_dir, "wt.pdf"), Path.Combine(_dir, "wide.svg"));
        Assert.Contains($"wrote {pdf} (700×{PlotLayout.DefaultHeight(1)}, 1 curve)", CliRunner.Run("plot", "golden", "--state-dir", state, "--out", pdf, "--method", "wt", "--optimizer", "adamw").StderrLines);
        Assert.Contains($"wrote {wide} (1000×{PlotLayout.DefaultHeight(1)}, 1 curve)",
            CliRunner.Run("plot", "golden", "--state-dir", state, "--out", wide, "--method", "wt", "--optimizer", "adamw", "--width", "1000").StderrLines);
        Assert.StartsWith("<?xml", File.ReadAllText(wide));
        using (var bitmap = SkiaSharp.SKBitmap.Decode(one)) Assert.Equal(PlotLayout.DefaultHeight(1), bitmap.Height);
        using (var bitmap = SkiaSharp.SKBitmap.Decode(all)) Assert.Equal(PlotLayout.DefaultHeight(2), bitmap.Height);

        var typo = CliRunner.Run("plot", "golden", "--state-dir", state, "--out", Path.Combine(_dir, "typo.png"), "--method", "wtt");
        Assert.Equal((2, "gradguess: --method: 'wtt' is not a method of sweep 'golden' (backprop, wt); did you mean 'wt'?"),
            (typo.ExitCode, Assert.Single(typo.StderrLines)));
        var rates = CliRunner.Run("plot", "golden", "--state-dir", state, "--out", Path.Combine(_dir, "rates.png"), "--rates", "--method", "backprop");
        Assert.True(rates.ExitCode == 0, rates.Stderr);
        Assert.Contains(rates.StderrLines, l => l.EndsWith(", 2 lines)", StringComparison.Ordinal));   // backprop's train and test, not wt's
    }

    [Fact]
    public void PlotTime_DrawsEachRowsBestRateAgainstItsTrainingTime_AndRefusesWhatItCannotDraw()
    {
        var state = Path.Combine(_dir, "state");
        using (var cp = Process.Start("cp", ["-r", Path.Combine(RepoRoot.Path, "tests", "TestData", "state-2026-11-30"), state])) cp.WaitForExit();
        var out1 = Path.Combine(_dir, "time.png");

        var r = CliRunner.Run("plot", "golden", "--state-dir", state, "--out", out1, "--time", "--metric", "train");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = System.Text.Json.Nodes.JsonNode.Parse(CliRunner.Run("results", "golden", "--state-dir", state, "--json").Stdout)!["rows"]!
            .AsArray().Count(row => row!["bestLearningRate"] is not null);
        Assert.Contains($"wrote {out1} (1600×{PlotLayout.DefaultHeight(1, PlotLayout.RatesRowHeight)}, {GradGuessCluster.Training.Units.Count(rows, "line")})", r.StderrLines);
        Assert.True(rows > 0);
        using (var bitmap = SkiaSharp.SKBitmap.Decode(out1)) Assert.Equal(1600, bitmap.Width);

        foreach (var (extra, message) in new[]
                 {
                     (new[] { "--rates" }, "--time plots accuracy against training time"),
                     (new[] { "--metric", "cosine" }, "--time plots accuracy against training time"),
                     (new[] { "--smooth", "3" }, "--time plots accuracy against training time"),
                 })
        {
            var refused = CliRunner.Run(["plot", "golden", "--state-dir", state, "--out", Path.Combine(_dir, "no.png"), "--time", .. extra]);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains(message, refused.Stderr);
        }
        Assert.Contains("only with --rates or --time", CliRunner.Run("plot", "golden", "--state-dir", state, "--out", Path.Combine(_dir, "no.png"), "--window", "2").Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "no.png")));
    }

    [Fact]
    public void PlotAgainst_OfADamagedSweep_NamesItsDamagedCells_WhenTheOtherHasNothingToPlotEither()
    {
        // A's curves unreadable, B's readable but without the metric asked for: the refusal named only B's damaged cells
        // (none), not A's, which were why A had no curve.
        var (a, b) = (Path.Combine(_dir, "a"), Path.Combine(_dir, "b"));
        foreach (var state in new[] { a, b })
            using (var cp = Process.Start("cp", ["-r", Path.Combine(RepoRoot.Path, "tests", "TestData", "state-2026-11-30"), state])) cp.WaitForExit();
        foreach (var chunk in Directory.GetFiles(Path.Combine(a, "state", "gg-curve", "golden"), "*.curve.state", SearchOption.AllDirectories))
            File.WriteAllText(chunk, "garbage");

        var r = CliRunner.Run("plot", "golden", "--state-dir", a, "--against", "golden", "--against-state-dir", b, "--metric", "cosine",
            "--out", Path.Combine(_dir, "ab.png"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(r.StderrLines, l => l.Contains(" of golden left out: ") && l.Contains("is corrupt"));
        Assert.DoesNotContain(r.StderrLines, l => l.Contains($"({b}) left out"));
        Assert.Contains("has no cosine similarity at an evaluated epoch for every seed", r.StderrLines[^1]);
        Assert.False(File.Exists(Path.Combine(_dir, "ab.png")));
    }

    [Fact]
    public void Plot_OfMoreLearningRatesThanColours_ColoursThemAlongOneScale_AndSaysSo()
    {
        var state = Path.Combine(_dir, "state");
        var lrs = string.Join(", ", Enumerable.Range(1, 10).Select(i => $"{i}.0e-3"));   // 1e-2 (first, the largest) to 1e-3
        var spec = GradGuessCluster.Client.Tests.Local.LocalSpecs.Write(_dir, "rainbow", epochs: 1, learningRates: lrs);
        Assert.Equal(0, CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0").ExitCode);

        var r = CliRunner.Run("plot", "rainbow", "--state-dir", state, "--out", Path.Combine(_dir, "rainbow.png"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("note: 10 learning rates, more than the palette's 9 colours: coloured along one scale instead, dark (lr=1e-2) to " +
                        "light (lr=1e-3), so neighbouring rates look alike", r.StderrLines);
        // Each rate's swatch in its own colour of the scale (the largest dark, the smallest light): ten apart.
        using var bitmap = SkiaSharp.SKBitmap.Decode(Path.Combine(_dir, "rainbow.png"));
        var legend = new PlotLayout(bitmap.Width, bitmap.Height, 2, 1).LegendBounds;
        var seen = Enumerable.Range(0, 10).Count(i => Enumerable.Range((int)legend.Left, (int)legend.Width).Any(x =>
            Enumerable.Range((int)legend.Top, (int)legend.Height).Any(y => PngCurves.Near(bitmap.GetPixel(x, y), CurvePalette.For(i, 10)))));
        Assert.Equal(10, seen);
    }
}
