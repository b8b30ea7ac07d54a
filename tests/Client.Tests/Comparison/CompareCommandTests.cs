using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Comparison;

/// <summary><c>gradguess compare</c> (and <c>plot --against</c>) on real local sweeps that differ in their number of epochs, read
/// offline.</summary>
public sealed class CompareCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-compare-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Compare_TwoLocalSweeps_ShowsTheirDifferencesAndTheDeltasOfTheirResults()
    {
        var state = Path.Combine(_dir, "state");
        foreach (var (name, epochs) in new[] { ("cmp-a", 1), ("cmp-b", 3), ("cmp-c", 1), ("cmp-d", 1), ("cmp-e", 3) })
        {
            var spec = LocalSpecs.Write(_dir, name, epochs);
            if (name == "cmp-d") File.AppendAllText(spec, "\nselection: { metric: testAccuracy, at: final }\n");   // its own rule
            if (name == "cmp-e") File.AppendAllText(spec, "\nselection: { window: 2 }\n");
            var run = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
            Assert.True(run.ExitCode == 0, run.Stderr);
        }

        var text = CliRunner.Run("compare", "cmp-a", "cmp-b", "--state-dir", state);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Equal("A = cmp-a (completed), B = cmp-b (completed); Δ = B − A, in points", text.StdoutLines[0]);
        Assert.Equal("the specs differ in: epochs 1 → 3", text.StdoutLines[2]);

        // The deltas against each sweep's own results table, read independently.
        var json = CliRunner.Run("compare", "cmp-a", "cmp-b", "--state-dir", state, "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        var rows = JsonNode.Parse(json.Stdout)!["rows"]!.AsArray();
        var a = JsonNode.Parse(CliRunner.Run("results", "cmp-a", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        var b = JsonNode.Parse(CliRunner.Run("results", "cmp-b", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);                                      // backprop and wt, with adamw
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal((string?)a[i]!["method"], (string?)rows[i]!["method"]);
            Assert.Equal((double)b[i]!["trainAccuracy"]! - (double)a[i]!["trainAccuracy"]!, (double)rows[i]!["trainDelta"]!, 12);
            Assert.Equal((double)b[i]!["testAccuracy"]! - (double)a[i]!["testAccuracy"]!, (double)rows[i]!["testDelta"]!, 12);
            Assert.Equal((double)a[i]!["bestLearningRate"]!, (double)rows[i]!["a"]!["bestLearningRate"]!);
        }

        var markdown = CliRunner.Run("compare", "cmp-a", "cmp-b", "--state-dir", state, "--markdown", "--metric", "testAccuracy");
        Assert.True(markdown.ExitCode == 0, markdown.Stderr);
        Assert.Equal(1 + 2, markdown.StdoutLines.Count(l => l.StartsWith("| ", StringComparison.Ordinal)));   // header, 2 rows
        Assert.Contains("cmp-a is ranked by final test accuracy here; its spec selects by final train accuracy", markdown.Stderr);

        // As a LaTeX tabular: a row per JSON row, each with A's and B's rate and the train change in points; the specs'
        // difference in a comment for the caption.
        var latex = CliRunner.Run("compare", "cmp-a", "cmp-b", "--state-dir", state, "--latex");
        Assert.True(latex.ExitCode == 0, latex.Stderr);
        Assert.Contains("% epochs: A 1, B 3", latex.StdoutLines);
        foreach (var row in rows)
        {
            var line = Assert.Single(latex.StdoutLines, l => l.StartsWith(LatexText.MethodName((string)row!["method"]!) + " & ", StringComparison.Ordinal));
            var cells = line[..^" \\\\".Length].Split(" & ");
            Assert.Equal(10, cells.Length);
            Assert.Equal((LatexText.Rate((double)row!["a"]!["bestLearningRate"]!), LatexText.Rate((double)row["b"]!["bestLearningRate"]!)), (cells[2], cells[3]));
            Assert.StartsWith("$" + (100 * (double)row["trainDelta"]!).ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture) + "$", cells[6]);
        }
        // Every rate as a LaTeX tabular too: the Markdown table's lines, each side's chosen rate in bold once per row.
        var latexRates = CliRunner.Run("compare", "cmp-a", "cmp-b", "--state-dir", state, "--latex", "--rates");
        Assert.True(latexRates.ExitCode == 0, latexRates.Stderr);
        var markdownRates = CliRunner.Run("compare", "cmp-a", "cmp-b", "--state-dir", state, "--markdown", "--rates");
        var rateLines = latexRates.StdoutLines.SkipWhile(l => l != "\\midrule").Skip(1).TakeWhile(l => l != "\\bottomrule").Where(l => l != "\\addlinespace").ToList();
        Assert.Equal(markdownRates.StdoutLines.Count(l => l.StartsWith("| ", StringComparison.Ordinal)) - 1, rateLines.Count);   // less the header
        Assert.Equal(2 * rows.Count, rateLines.Sum(l => l.Split("\\mathbf").Length - 1));

        // The same spec run again under another name reproduces every figure (training is deterministic on a CPU).
        var rerun = CliRunner.Run("compare", "cmp-a", "cmp-c", "--state-dir", state);
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Equal("the specs differ only in their names", rerun.StdoutLines[2]);
        Assert.Matches("^both trained on the same data \\(digest [0-9a-f]{32}\\)$", rerun.StdoutLines[3]);
        Assert.Equal("every best learning rate and accuracy is the same in both, to the last digit", rerun.StdoutLines[4]);
        var rerunJson = CliRunner.Run("compare", "cmp-a", "cmp-c", "--state-dir", state, "--json");
        Assert.True((bool)JsonNode.Parse(rerunJson.Stdout)!["identical"]!);
        Assert.False((bool)JsonNode.Parse(json.Stdout)!["identical"]!);

        // Ranked at epoch 1, the 3-epoch sweep is the 1-epoch one: the same training up to there, digit for digit. An
        // epoch that one of them never trained is refused, naming it.
        var atOne = CliRunner.Run("compare", "cmp-a", "cmp-b", "--state-dir", state, "--at", "1");
        Assert.True(atOne.ExitCode == 0, atOne.Stderr);
        Assert.Contains("best learning rate per method × optimizer by train accuracy at epoch 1", atOne.Stdout);
        Assert.Contains("every best learning rate and accuracy is the same in both, to the last digit", atOne.Stdout);
        var atTwo = CliRunner.Run("compare", "cmp-a", "cmp-b", "--state-dir", state, "--at", "2");
        Assert.Equal(2, atTwo.ExitCode);
        Assert.Equal("gradguess: --at 2: sweep 'cmp-a' trains 1 epoch", Assert.Single(atTwo.StderrLines));
        // A window both sweeps hold ranks them; one that one sweep's curves are too short for is refused, naming it.
        var windowed = CliRunner.Run("compare", "cmp-b", "cmp-a", "--state-dir", state, "--window", "1", "--json");
        Assert.True(windowed.ExitCode == 0, windowed.Stderr);
        var tooLong = CliRunner.Run("compare", "cmp-b", "cmp-a", "--state-dir", state, "--window", "2");
        Assert.Equal(2, tooLong.ExitCode);
        Assert.Equal("gradguess: --window 2: a window of 2 evaluations, but each curve holds 1 up to epoch 1 (one per epoch) (sweep 'cmp-a')",
            Assert.Single(tooLong.StderrLines));

        // The same two sweeps in one plot: in every panel one colour per sweep (its best learning rate's curve).
        var png = Path.Combine(_dir, "against.png");
        var plot = CliRunner.Run("plot", "cmp-a", "--against", "cmp-b", "--state-dir", state, "--out", png, "--width", "800", "--height", "600");
        Assert.True(plot.ExitCode == 0, plot.Stderr);
        Assert.Contains("4 curves", plot.Stderr);                        // 2 method × optimizer pairs, 2 sweeps
        using (var bitmap = SKBitmap.Decode(png))
        {
            var layout = new PlotLayout(800, 600, 2, 1);                                          // backprop, wt × adamw
            Assert.Equal([2, 2], PngCurves.CountPaletteColours(bitmap, layout).OrderBy(kv => kv.Key.Row).Select(kv => kv.Value));
            // A's colour is a dot at epoch 1 (it trained one epoch), B's a line on to epoch 3: between 40 and 90 % of the
            // epoch axis only B's colour shows. (Coloured by learning rate, both colours would be dots or both lines.)
            for (int row = 0; row < 2; row++)
            {
                var area = layout.PlotArea(row, 0);
                int Pixels(SKColor colour) => Enumerable.Range((int)(area.Left + 0.4f * area.Width), (int)(0.5f * area.Width))
                    .Sum(x => Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Count(y => PngCurves.Near(bitmap.GetPixel(x, y), colour)));
                Assert.Equal(0, Pixels(CurvePalette.Colors[0]));
                Assert.True(Pixels(CurvePalette.Colors[1]) > 50, $"row {row}: no line of B");
            }
        }
        Assert.DoesNotContain("is ranked by", plot.Stderr);
        // Against a sweep whose spec ranks otherwise, its best learning rates are A's rule's: said, as compare says it.
        var ruled = CliRunner.Run("plot", "cmp-a", "--against", "cmp-d", "--state-dir", state, "--out", png);
        Assert.True(ruled.ExitCode == 0, ruled.Stderr);
        Assert.Contains("cmp-d is ranked by final train accuracy here; its spec selects by final test accuracy", ruled.Stderr);
        // A's window is longer than B's curves: refused, naming both (a window both hold ranks B by it).
        var shortB = CliRunner.Run("plot", "cmp-e", "--against", "cmp-a", "--state-dir", state, "--out", png);
        Assert.Equal(2, shortB.ExitCode);
        Assert.Equal("gradguess: cmp-a cannot be ranked by cmp-e's rule: a window of 2 evaluations, but each curve holds 1 up to epoch 1 (one per epoch)",
            Assert.Single(shortB.StderrLines));
        var heldByB = CliRunner.Run("plot", "cmp-e", "--against", "cmp-b", "--state-dir", state, "--out", png);
        Assert.True(heldByB.ExitCode == 0, heldByB.Stderr);
        Assert.Contains("cmp-b is ranked by train accuracy averaged over the last 2 evaluations here; its spec selects by final train accuracy", heldByB.Stderr);

        var self = CliRunner.Run("plot", "cmp-a", "--against", "cmp-a", "--state-dir", state, "--out", png);
        Assert.Equal(2, self.ExitCode);
        Assert.Equal("gradguess: --against cmp-a: give another sweep, or the same name from another state directory with --against-state-dir",
            Assert.Single(self.StderrLines));

        // The same spec under the same name in another state directory: set beside the first with --against-state-dir.
        var other = Path.Combine(_dir, "other-state");
        var again = CliRunner.Run("local", LocalSpecs.Write(_dir, "cmp-a", 1), "--state-dir", other, "--metrics-port", "0");
        Assert.True(again.ExitCode == 0, again.Stderr);
        var twin = CliRunner.Run("compare", "cmp-a", "cmp-a", "--state-dir", state, "--against-state-dir", other);
        Assert.True(twin.ExitCode == 0, twin.Stderr);
        Assert.Equal($"A = cmp-a (completed), B = cmp-a ({other}) (completed); Δ = B − A, in points", twin.StdoutLines[0]);
        Assert.Equal("the specs are the same", twin.StdoutLines[2]);
        Assert.Equal(rerun.StdoutLines[3], twin.StdoutLines[3]);   // the same synthetic set, generated in another run
        Assert.Equal("every best learning rate and accuracy is the same in both, to the last digit", twin.StdoutLines[4]);
        // Against another name there, the spec's differences are told as before.
        var across = CliRunner.Run("compare", "cmp-b", "cmp-a", "--state-dir", state, "--against-state-dir", other);
        Assert.True(across.ExitCode == 0, across.Stderr);
        Assert.Equal("the specs differ in: epochs 3 → 1", across.StdoutLines[2]);
        var twinPlot = CliRunner.Run("plot", "cmp-b", "--against", "cmp-a", "--state-dir", state, "--against-state-dir", other,
            "--out", png, "--width", "800", "--height", "600");
        Assert.True(twinPlot.ExitCode == 0, twinPlot.Stderr);
        Assert.Contains("4 curves", twinPlot.Stderr);
        using (var bitmap = SKBitmap.Decode(png))
            Assert.Equal([2, 2], PngCurves.CountPaletteColours(bitmap, new PlotLayout(800, 600, 2, 1)).OrderBy(kv => kv.Key.Row).Select(kv => kv.Value));
        var notThere = CliRunner.Run("compare", "cmp-a", "cmp-c", "--state-dir", state, "--against-state-dir", other);
        Assert.Equal(2, notThere.ExitCode);
        Assert.Equal($"gradguess: no sweep named 'cmp-c' in {other}", Assert.Single(notThere.StderrLines));
        var notAState = CliRunner.Run("compare", "cmp-a", "cmp-a", "--state-dir", state, "--against-state-dir", _dir + "/nowhere");
        Assert.Equal(2, notAState.ExitCode);
        Assert.Contains($"--against-state-dir {_dir}/nowhere: not a gradguess state directory", Assert.Single(notAState.StderrLines));
        var withoutSweep = CliRunner.Run("plot", "cmp-a", "--state-dir", state, "--against-state-dir", other, "--out", png);
        Assert.Equal(2, withoutSweep.ExitCode);
        Assert.Contains("give the sweep to read there with --against", Assert.Single(withoutSweep.StderrLines));

        var missing = CliRunner.Run("compare", "cmp-a", "nope", "--state-dir", state);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("gradguess: no sweep named 'nope'", Assert.Single(missing.StderrLines));
    }

    [Fact]
    public void TheSameSweep_FromTheSameStateDirectoryByAnotherPath_IsRefused()
    {
        // Given twice (a trailing slash, a link to it), the directory once compared a sweep with itself without a word.
        var link = Path.Combine(_dir, "link");
        Directory.CreateSymbolicLink(link, _dir);
        foreach (var again in new[] { _dir + "/", link })
        {
            var r = CliRunner.Run("compare", "same", "same", "--state-dir", _dir, "--against-state-dir", again);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains($"A and B are both 'same', and --against-state-dir {again} is the --state-dir {_dir}: that is the same sweep",
                Assert.Single(r.StderrLines));
        }
    }

    [Theory]
    [InlineData(new[] { "compare", "same", "same" }, "A and B are both 'same'")]
    [InlineData(new[] { "compare", "a", "B/x" }, "B: 'B/x' must use only lower-case")]
    [InlineData(new[] { "compare", "a", "b", "--json", "--markdown" }, "--json and --markdown: choose one")]
    [InlineData(new[] { "compare", "a", "b", "--json", "--latex" }, "--json and --latex: choose one")]
    public void Compare_BadArguments_ExitTwoBeforeConnecting(string[] args, string message)
    {
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment, [.. args, "--gateway", "127.0.0.1:9"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, Assert.Single(r.StderrLines));
    }
}
