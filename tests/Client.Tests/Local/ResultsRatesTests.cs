using System.Text.Json.Nodes;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary><c>results --rates</c> and each row's <c>rates</c> in <c>--json</c>, on a sweep a real <c>local</c> ran: two
/// seeds, and a learning rate that diverges.</summary>
public sealed class ResultsRatesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-rates-" + Guid.NewGuid().ToString("N")[..8]);
    private static readonly double[] Rates = [1e3, 1e-1, 1e-2];

    public ResultsRatesTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rates_AreEachLearningRatesMeanOverSeeds_AsTheExportedCurvesGiveThem_UnderEveryRule()
    {
        var state = Path.Combine(_dir, "state");
        var spec = Path.Combine(_dir, "rates.yaml");
        File.WriteAllText(spec, """
            name: rates
            data: { set: synthetic, train: 512, test: 128, features: 32 }
            model: { depth: 2, width: 32 }
            methods: [backprop, wt]
            optimizers: [sgd]
            learningRates: [1.0e+3, 1.0e-1, 1.0e-2]
            seeds: [0, 1]
            epochs: 3
            batchSize: 128
            """);
        LocalSpecs.Run(spec, state);
        var export = CliRunner.Run("export", "rates", "--state-dir", state, "--format", "json");
        Assert.True(export.ExitCode == 0, export.Stderr);
        var curves = JsonNode.Parse(export.Stdout)!.AsArray();

        // Independently, from the curves: a seed's mean train accuracy over its last `window` evaluations.
        double? Mean(string method, double lr, int window)
        {
            var seeds = curves.Where(c => (string?)c!["method"] == method && (double)c["lr"]! == lr).GroupBy(c => (int)c!["seed"]!).ToList();
            if (seeds.Any(s => s.Any(c => (string?)c!["status"] == "diverged"))) return null;
            return seeds.Average(s => s.OrderBy(c => (int)c!["epoch"]!).TakeLast(window).Average(c => (double)c!["trainAccuracy"]!));
        }

        foreach (var window in new[] { 1, 2 })
        {
            var run = CliRunner.Run(["results", "rates", "--state-dir", state, "--json", .. window > 1 ? ["--window", $"{window}"] : Array.Empty<string>()]);
            Assert.True(run.ExitCode == 0, run.Stderr);
            foreach (var row in JsonNode.Parse(run.Stdout)!["rows"]!.AsArray())
            {
                var rates = row!["rates"]!.AsArray();
                Assert.Equal(Rates, rates.Select(r => (double)r!["learningRate"]!));
                foreach (var rate in rates)
                {
                    var expected = Mean((string)row["method"]!, (double)rate!["learningRate"]!, window);
                    if (expected is null)
                    {
                        Assert.Equal("diverged", (string?)rate["outcome"]);
                        Assert.Null(rate["score"]);
                        continue;
                    }
                    Assert.Equal("scored", (string?)rate["outcome"]);
                    Assert.Equal(expected.Value, (double)rate["score"]!, 12);
                    Assert.NotNull(rate["scoreStd"]);   // two seeds
                }
                // The row's winner is the best-scoring rate, and its reported train accuracy is that score.
                var best = rates.Where(r => r!["score"] is not null).MaxBy(r => (double)r!["score"]!)!;
                Assert.Equal((double)best["learningRate"]!, (double)row["bestLearningRate"]!);
                Assert.Equal((double)best["score"]!, (double)row["trainAccuracy"]!, 12);
            }
        }
        Assert.Contains(curves, c => (string?)c!["status"] == "diverged");   // 1e+3 did diverge: the case is exercised

        // The terminal view: per row, every rate's score (the chosen one in brackets) or why it has none.
        var json = JsonNode.Parse(CliRunner.Run("results", "rates", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        var terminal = CliRunner.Run("results", "rates", "--state-dir", state, "--rates");
        Assert.True(terminal.ExitCode == 0, terminal.Stderr);
        Assert.Contains("final train accuracy at each learning rate per method × optimizer", terminal.Stdout);
        Assert.Contains(terminal.StdoutLines, l => l.Contains("   1e+3 ", StringComparison.Ordinal) && l.Contains(" 1e-2", StringComparison.Ordinal));
        foreach (var row in json)
        {
            var line = Assert.Single(terminal.StdoutLines, l => l.StartsWith($"  {row!["method"]} ", StringComparison.Ordinal));
            Assert.Contains("diverged", line);
            Assert.Contains($"[{ResultsTable.Percent((double)row!["trainAccuracy"]!)}", line);
            foreach (var rate in row["rates"]!.AsArray().Where(r => r!["score"] is not null))
                Assert.Contains(ResultsTable.Percent((double)rate!["score"]!), line);
        }
        Assert.Contains("[ ]: the learning rate chosen", terminal.Stdout);

        // Markdown: a row per method × optimizer, the chosen rate in bold with the seeds' spread.
        var markdown = CliRunner.Run("results", "rates", "--state-dir", state, "--rates", "--markdown");
        Assert.True(markdown.ExitCode == 0, markdown.Stderr);
        Assert.Equal("| method | optimizer | 1e+3 | 1e-1 | 1e-2 |", markdown.StdoutLines[0]);
        foreach (var row in json)
        {
            var best = row!["rates"]!.AsArray().Single(r => (double)r!["learningRate"]! == (double)row["bestLearningRate"]!)!;
            var line = Assert.Single(markdown.StdoutLines, l => l.StartsWith($"| {row["method"]} | sgd | diverged | ", StringComparison.Ordinal));
            Assert.Contains($"**{ResultsTable.WithSpread((double)best["score"]!, (double)best["scoreStd"]!)}**", line);
        }

        // plot --rates: in the one optimizer's panel, the first method's marks at its best rate.
        var png = Path.Combine(_dir, "rates.png");
        var plot = CliRunner.Run("plot", "rates", "--state-dir", state, "--rates", "--metric", "train", "--out", png);
        Assert.True(plot.ExitCode == 0, plot.Stderr);
        Assert.Contains($"wrote {png} (1600×484, 2 lines)", plot.Stderr);
        using var bitmap = SKBitmap.Decode(png);
        var area = new PlotLayout(1600, 484, 1, 1).PlotArea(0, 0);
        var backprop = json[0]!;
        int x = (int)Math.Round(area.Left + RatesPlot.Position(Rates, (double)backprop["bestLearningRate"]!) * area.Width);
        // Along the rate's tick, backprop's dot, ring and error bar (± the seeds' spread, capped): blue at those heights
        // and at no other. wt's, drawn after, may cover parts of them where the two score alike.
        var ys = Enumerable.Range((int)area.Top + 1, (int)area.Height - 2).Where(y => PngCurves.Near(bitmap.GetPixel(x, y), CurvePalette.For(0))).ToList();
        double at = area.Bottom - (double)backprop["trainAccuracy"]! * area.Height, spread = (double)backprop["trainAccuracyStd"]! * area.Height;
        Assert.Contains(ys, y => new[] { at, at - spread, at + spread }.Any(e => Math.Abs(y - e) <= 2));
        Assert.All(ys, y => Assert.InRange(y, at - spread - 9, at + spread + 9));

        // Under another rule (--window 2), as results --rates --window 2 ranks: other scores, another picture.
        var windowedPng = Path.Combine(_dir, "windowed.png");
        var windowed = CliRunner.Run("plot", "rates", "--state-dir", state, "--rates", "--metric", "train", "--window", "2", "--out", windowedPng);
        Assert.True(windowed.ExitCode == 0, windowed.Stderr);
        Assert.NotEqual(File.ReadAllBytes(png), File.ReadAllBytes(windowedPng));
        var curvesAt = CliRunner.Run("plot", "rates", "--state-dir", state, "--at", "2", "--out", png);
        Assert.Equal(2, curvesAt.ExitCode);
        Assert.Contains("--at and --window: only with --rates", curvesAt.Stderr);

        var smoothed = CliRunner.Run("plot", "rates", "--state-dir", state, "--rates", "--smooth", "2", "--out", png);
        Assert.Equal(2, smoothed.ExitCode);
        Assert.Contains("--rates plots accuracy against learning rate", smoothed.Stderr);
    }
}
