using System.Globalization;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Tests.Rendering;

public sealed class RatesTableTests
{
    private static readonly ResultRow Row = new("wt", "adamw", 1e-3, 0.8, 0.7, false, 8, 8, null, Rates:
    [
        new RateScore(1e-1, RateOutcome.Diverged),
        new RateScore(1e-2, RateOutcome.Scored, 0.5, 0.0123),
        new RateScore(1e-3, RateOutcome.Scored, 0.8, 0.0456),
        new RateScore(1e-4, RateOutcome.Failed),
        new RateScore(1e-5, RateOutcome.Pending),
    ]);

    [Theory]
    [InlineData(120, true)]
    [InlineData(76, false)]
    public void Render_EveryRateInItsColumn_TheChosenInBrackets_AndTheSpreadWhereItFits(int width, bool spread)
    {
        var lines = Rendered([Row], width);

        var header = Assert.Single(lines, l => l.StartsWith("  method ", StringComparison.Ordinal));
        Assert.Equal(["method", "optimizer", "1e-1", "1e-2", "1e-3", "1e-4", "1e-5"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = Assert.Single(lines, l => l.StartsWith("  wt ", StringComparison.Ordinal));
        var cells = row.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(spread
            ? ["wt", "adamw", "diverged", "50.00% ±1.23", "[80.00% ±4.56]", "failed", "pending"]
            : ["wt", "adamw", "diverged", "50.00%", "[80.00%]", "failed", "pending"], cells);
        var title = string.Join(" ", lines.TakeWhile(l => l.Length > 0 && !l.StartsWith(" ", StringComparison.Ordinal)).Select(l => l.Trim()));   // wrapped to the width
        Assert.StartsWith("results of s (completed): final train accuracy at each learning rate", title);
        Assert.Equal(spread, title.EndsWith("± their standard deviation (points)", StringComparison.Ordinal));
    }

    /// <summary>A rate ruled out by one seed of two reads so; one whose every seed diverged, or from a silo of a build
    /// that did not count seeds, reads "diverged".</summary>
    [Theory]
    [InlineData(1, 2, "diverged 1/2")]
    [InlineData(2, 2, "diverged")]
    [InlineData(0, 0, "diverged")]
    public void ADivergedRate_SaysOnHowManyOfItsSeeds_WhereSomeCompleted(int diverged, int seeds, string cell) =>
        Assert.Equal(cell, RatesTable.Cell(new RateScore(3e-2, RateOutcome.Diverged, DivergedSeeds: diverged, Seeds: seeds), spread: true));

    [Fact]
    public void MoreRatesThanTheTerminalHolds_GoInTablesOneUnderAnother_EachLineWithinTheWidth()
    {
        var lrs = Enumerable.Range(0, 10).Select(i => Math.Pow(10, -1 - i / 3.0)).ToList();
        var row = new ResultRow("activation-perturbation", "adamw", lrs[3], 0.5, 0.5, false, 20, 20, null,
            Rates: lrs.Select((lr, i) => new RateScore(lr, RateOutcome.Scored, 0.1 + i / 100.0, 0.05)).ToList());

        var lines = Rendered([row], 80);

        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
        var headers = lines.Where(l => l.StartsWith("  method ", StringComparison.Ordinal)).ToList();
        Assert.True(headers.Count > 1, "ten rates do not fit 80 columns in one table");
        Assert.Equal(lrs.Select(ResultsTable.Lr), headers.SelectMany(h => h.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2)));
        var cells = lines.Where(l => l.StartsWith("  activation-perturbation ", StringComparison.Ordinal))
            .SelectMany(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(2)).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i == 3 ? "[13.00%]" : $"{10 + i}.00%"), cells);   // means only: no room for the spread
        Assert.Single(lines, l => l.StartsWith("[ ]: the learning rate chosen", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_HasTheSpread_AndTheChosenRateInBold()
    {
        var lines = RatesTable.MarkdownLines(new SweepResults("s", SweepState.Completed, new SelectionSpec(), [Row])).ToList();

        Assert.Equal("| method | optimizer | 1e-1 | 1e-2 | 1e-3 | 1e-4 | 1e-5 |", lines[0]);
        Assert.Equal("|---|---|---:|---:|---:|---:|---:|", lines[1]);
        Assert.Equal("| wt | adamw | diverged | 50.00% ±1.23 | **80.00% ±4.56** | failed | pending |", lines[2]);
        Assert.StartsWith("Bold: the learning rate chosen", lines[^1]);
    }

    [Theory]
    [InlineData(new[] { 1e-2, 1e-3, 1e-4, 1e-1 }, "1e-1 | 1e-2 | 1e-3 | 1e-4")]   // a grid of decreasing rates grown by 1e-1
    [InlineData(new[] { 1e-4, 1e-3, 1e-5 }, "1e-5 | 1e-4 | 1e-3")]               // increasing, grown by 1e-5
    public void Rates_AreInOrderOfSize_AsTheSpecListsItsFirstTwo(double[] grid, string header)
    {
        // Each rate scores a tenth of its decades (1e-3: 30 %), so the cells read back their rates.
        var row = Row with { BestLearningRate = grid[0], Rates = grid.Select(lr => new RateScore(lr, RateOutcome.Scored, -Math.Log10(lr) / 10)).ToList() };
        var lines = RatesTable.MarkdownLines(new SweepResults("s", SweepState.Completed, new SelectionSpec(), [row])).ToList();
        Assert.Equal($"| method | optimizer | {header} |", lines[0]);
        Assert.Equal(header.Split(" | ").Select(h => (-Math.Log10(double.Parse(h, CultureInfo.InvariantCulture)) * 10).ToString("F2", CultureInfo.InvariantCulture) + "%"),
            lines[2].Split(" | ")[2..].Select(c => c.Trim('|', ' ', '*')));
    }

    [Fact]
    public void RowsWithoutRates_FromSilosOfAnOlderBuild_AreSaid_NotDrawnEmpty()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Rendered([Row with { Rates = null }], 120));
        Assert.Contains("without per-learning-rate scores", e.Message);
    }

    [Fact]
    public void RowsWithRatesOfTheirOwn_ShareOneColumnPerRate_ADashWhereARowDoesNotTrainIt()
    {
        // backprop trains the grid's rates; wt also 1e-1 and 1e-5, its rowRates.
        var backprop = new ResultRow("backprop", "adamw", 1e-3, 0.9, 0.8, false, 3, 3, null, Rates:
            [new RateScore(1e-2, RateOutcome.Scored, 0.6), new RateScore(1e-3, RateOutcome.Scored, 0.9), new RateScore(1e-4, RateOutcome.Scored, 0.7)]);
        var wt = Row with { Rates = [new RateScore(1e-2, RateOutcome.Scored, 0.5), new RateScore(1e-3, RateOutcome.Scored, 0.8),
            new RateScore(1e-4, RateOutcome.Scored, 0.6), new RateScore(1e-1, RateOutcome.Diverged), new RateScore(1e-5, RateOutcome.Scored, 0.4)] };

        var lines = Rendered([backprop, wt], 160);

        var header = Assert.Single(lines, l => l.StartsWith("  method ", StringComparison.Ordinal));
        Assert.Equal(["method", "optimizer", "1e-1", "1e-2", "1e-3", "1e-4", "1e-5"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["backprop", "adamw", "-", "60.00%", "[90.00%]", "70.00%", "-"],
            Assert.Single(lines, l => l.StartsWith("  backprop ", StringComparison.Ordinal)).Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(["wt", "adamw", "diverged", "50.00%", "[80.00%]", "60.00%", "40.00%"],
            Assert.Single(lines, l => l.StartsWith("  wt ", StringComparison.Ordinal)).Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(lines, l => l.Contains("-: a rate that row does not train", StringComparison.Ordinal));
        Assert.DoesNotContain(Rendered([backprop], 160), l => l.Contains("does not train", StringComparison.Ordinal));

        var markdown = RatesTable.MarkdownLines(new SweepResults("s", SweepState.Completed, new SelectionSpec(), [backprop, wt])).ToList();
        Assert.Contains("| backprop | adamw | - | 60.00% | **90.00%** | 70.00% | - |", markdown);
    }

    private static string[] Rendered(List<ResultRow> rows, int width)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = width;
        RatesTable.Render(new SweepResults("s", SweepState.Completed, new SelectionSpec(), rows), console);
        return writer.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }
}
