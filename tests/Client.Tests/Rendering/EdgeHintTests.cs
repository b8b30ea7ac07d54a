using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>The results footnote's suggestion of the rate one grid step past an edge winner.</summary>
public sealed class EdgeHintTests
{
    private static ResultRow Row(string method, double best, bool edge, params double[] grid) =>
        new(method, "sgd", best, 0.5, 0.5, edge, grid.Length, grid.Length, null,
            Rates: grid.Select(lr => new RateScore(lr, RateOutcome.Scored, 0.5)).ToList());

    [Theory]
    [InlineData(1e-2, new[] { 1e-2, 1e-3, 1e-4 }, 1e-1)]        // the top of a grid of decades: the next decade
    [InlineData(1e-4, new[] { 1e-2, 1e-3, 1e-4 }, 1e-5)]        // its bottom
    [InlineData(1e-3, new[] { 4e-3, 2e-3, 1e-3 }, 5e-4)]        // a grid of halvings: the next halving
    [InlineData(3e-2, new[] { 1e-3, 1e-2, 3e-2 }, 9e-2)]        // uneven: the step beside the edge
    public void Next_IsOneGridStepPastTheEdge(double best, double[] grid, double expected) =>
        Assert.Equal(expected, EdgeHint.Next(Row("wt", best, true, grid)));

    [Fact]
    public void Next_IsNone_InsideTheGrid_WithOneRate_OrPastFloat32()
    {
        Assert.Null(EdgeHint.Next(Row("wt", 1e-3, false, 1e-2, 1e-3, 1e-4)));
        Assert.Null(EdgeHint.Next(Row("wt", 1e-3, true, 1e-3)));
        Assert.Null(EdgeHint.Next(Row("wt", 1e-40, true, 1e-40, 1e-30)));   // 1e-50 is no float32 rate
        Assert.Null(EdgeHint.Next(Row("wt", 1e-2, true, 1e-2, 1e-3) with { Rates = null }));
    }

    [Fact]
    public void TheFootnote_NamesEachSuggestedRate_WithTheRowsThatWantIt()
    {
        var results = new SweepResults("s", SweepState.Completed, new SelectionSpec(),
        [
            Row("backprop", 1e-2, true, 1e-2, 1e-3), Row("wt", 1e-2, true, 1e-2, 1e-3), Row("downstream", 1e-3, true, 1e-2, 1e-3),
            Row("activation-mixing", 1e-2, false, 1e-2, 1e-3) with { AtGridEdge = false },
        ]);

        Assert.Equal("to look past the edge: add 1e-1 (backprop sgd, wt sgd) or 1e-4 (downstream sgd) to those rows (rowRates) and run the spec with --extend (refine s writes that spec)",
            EdgeHint.For(results));
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        ResultsTable.Render(results, console);
        var lines = writer.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var edge = lines.FindIndex(l => l.StartsWith("* the best learning rate is at the edge", StringComparison.Ordinal));
        Assert.Equal("  " + EdgeHint.For(results), lines[edge + 1]);
        Assert.EndsWith("; " + EdgeHint.For(results) + ".", ResultsMarkdown.Lines(results).Single(l => l.StartsWith(@"\*", StringComparison.Ordinal)));
    }

    [Fact]
    public void RowsPastMoreThanThreeRatesEdges_AreCounted_ForRefineToName()
    {
        // A confirmation: every row trains its pick and runner-up, so every pick is at an edge, each its own.
        var four = new SweepResults("c", SweepState.Completed, new SelectionSpec(),
            [.. new[] { 1e-1, 1e-2, 1e-3, 1e-4 }.Select((lr, i) => Row($"m{i}", lr, true, lr, lr / 2))]);
        Assert.Equal("to look past the edge: refine c writes the spec with the rate past each of those 4 rows' edges (rowRates); run it with --extend",
            EdgeHint.For(four));
        Assert.Contains(" or ", EdgeHint.For(four with { Rows = [.. four.Rows.Take(3)] }));   // three are named, each
    }

    [Fact]
    public void EveryRowPastTheSameEdge_IsTheGridsNextRate_InLearningRates()
    {
        var all = new SweepResults("s", SweepState.Completed, new SelectionSpec(),
            [Row("backprop", 1e-2, true, 1e-2, 1e-3), Row("wt", 1e-2, true, 1e-2, 1e-3)]);
        Assert.Equal("to look past the edge: add 1e-1 to learningRates and run the spec with --extend (refine s writes that spec)", EdgeHint.For(all));
        Assert.Contains("add 1e-1 to learningRates", EdgeHint.For(all with { Rows = [all.Rows[1]] }));   // a sweep of one row: its grid
        Assert.Contains("add 1e-1 (backprop sgd) or 1e-4 (wt sgd) to those rows (rowRates)",
            EdgeHint.For(all with { Rows = [all.Rows[0], Row("wt", 1e-3, true, 1e-2, 1e-3)] }));
    }
}
