using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary><c>results --markdown</c>: a table that renders as the terminal's does, whatever a note holds.</summary>
public sealed class ResultsMarkdownTests
{
    private static readonly SelectionSpec Rule = new(SelectionMetric.TrainAccuracy, SelectionPoint.Final);

    [Fact]
    public void Rows_AreMarkdownTableRows_WithTheTerminalsFigures_AndTheEdgeFootnote()
    {
        var results = new SweepResults("s", SweepState.Completed, Rule,
        [
            new ResultRow("wt", "adamw", 1e-3, 0.7395, 0.7369, false, 4, 4, null),
            new ResultRow("directional", "sgd", 1e-2, 0.1836, 0.1861, true, 4, 4, "1 learning rate(s) diverged | see log\nnext"),
            new ResultRow("backprop", "sgd", null, null, null, false, 0, 4, "no cell finished"),
        ]);
        var lines = ResultsMarkdown.Lines(results).ToList();

        Assert.Equal("| method | optimizer | best LR | train acc | test acc | finished | note |", lines[0]);
        Assert.Equal("|---|---|---:|---:|---:|---:|---|", lines[1]);
        Assert.Equal("| wt | adamw | 1e-3 | 73.95% | 73.69% | 4/4 |  |", lines[2]);
        Assert.Equal(@"| directional | sgd | 1e-2 \* | 18.36% | 18.61% | 4/4 | 1 learning rate(s) diverged \| see log next |", lines[3]);
        Assert.Equal("| backprop | sgd | - | - | - | 0/4 | no cell finished |", lines[4]);
        Assert.Equal(["", @"\* the best learning rate is at the edge of the grid: the optimum may lie outside it."], lines[5..]);
        // Every row has as many cells as the header (an unescaped pipe would add one).
        Assert.All(lines[..5], l => Assert.Equal(8, l.Replace(@"\|", "", StringComparison.Ordinal).Count(c => c == '|')));
    }

    [Fact]
    public void SeveralSeeds_ShowTheirSpreadInPoints_InTheTerminalTableAndInMarkdown()
    {
        var results = new SweepResults("s", SweepState.Completed, Rule,
            [new ResultRow("wt", "adamw", 1e-3, 0.7395, 0.7369, false, 12, 12, null, 0.0041, 0.00375)]);
        Assert.Equal("| wt | adamw | 1e-3 | 73.95% ±0.41 | 73.69% ±0.38 | 12/12 |  |", ResultsMarkdown.Lines(results).ElementAt(2));
        Assert.True(ResultsTable.HasSpread(results));

        var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(writer), Ansi = Spectre.Console.AnsiSupport.No,
        });
        console.Profile.Width = 120;
        ResultsTable.Render(results, console);
        Assert.Matches(@"wt\s+adamw\s+1e-3\s+73\.95% ±0\.41\s+73\.69% ±0\.38\s+12/12", writer.ToString());
        Assert.Matches(@"mean over seeds ± their\s+standard\s+deviation\s+\(points\)", writer.ToString());   // wrapped to the width
        Assert.False(ResultsTable.HasSpread(results with { Rows = [results.Rows[0] with { TrainAccuracyStd = null, TestAccuracyStd = null }] }));
    }

    [Fact]
    public void WithoutAWinnerAtTheEdge_ThereIsNoFootnote()
    {
        var results = new SweepResults("s", SweepState.Completed, Rule, [new ResultRow("wt", "adamw", 1e-3, 0.7, 0.7, false, 1, 1, null)]);
        Assert.Equal(3, ResultsMarkdown.Lines(results).Count());
    }

    [Fact]
    public void WhereARowHasARunnerUp_TheLeadColumnNamesIt_AndItsLegendFollows()
    {
        var results = new SweepResults("s", SweepState.Completed, Rule with { Window = 10 },
        [
            new ResultRow("wt", "adamw", 1e-3, 0.7395, 0.7369, false, 4, 4, null, RunnerUpLearningRate: 1e-4, Lead: 0.0006),
            new ResultRow("backprop", "sgd", 1e-2, 0.9, 0.8, true, 1, 4, "3 learning rate(s) diverged"),
        ]);
        var lines = ResultsMarkdown.Lines(results).ToList();

        Assert.Equal("| method | optimizer | best LR | train acc | test acc | lead | finished | note |", lines[0]);
        Assert.Equal("|---|---|---:|---:|---:|---:|---:|---|", lines[1]);
        Assert.Equal("| wt | adamw | 1e-3 | 73.95% | 73.69% | 0.06 (1e-4) | 4/4 |  |", lines[2]);
        Assert.Equal(@"| backprop | sgd | 1e-2 \* | 90.00% | 80.00% | - | 1/4 | 3 learning rate(s) diverged |", lines[3]);
        Assert.Equal("lead: points of train accuracy averaged over the last 10 evaluations ahead of the next learning rate (in brackets); " +
                     "a small lead is a near-tie.", lines[^1]);
        Assert.Equal("", lines[^2]);
    }
}
