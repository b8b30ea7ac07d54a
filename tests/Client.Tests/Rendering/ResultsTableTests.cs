using System.Globalization;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Tests.Rendering;

public class ResultsTableTests
{
    [Theory]
    [InlineData(1e-2, "1e-2")]
    [InlineData(3e-4, "3e-4")]
    [InlineData(1.5e-3, "1.5e-3")]
    [InlineData(1.23451e-3, "1.23451e-3")]
    [InlineData(1.23452e-3, "1.23452e-3")]
    [InlineData(1.0, "1e+0")]
    [InlineData(20.0, "2e+1")]
    [InlineData(0.1 + 0.2, "3.0000000000000004e-1")]                     // 17 significant digits: not 0.3
    public void Lr_IsTheShortestScientificFormThatReadsBack(double lr, string expected) => Assert.Equal(expected, ResultsTable.Lr(lr));

    [Fact]
    public void Lr_ReadsBackAsTheSameDouble_ForAnyLearningRate()
    {
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            double lr = Math.Pow(10, -8 + 9 * random.NextDouble());                             // 1e-8 .. 10, all digits used
            var text = ResultsTable.Lr(lr);
            Assert.Equal(lr, double.Parse(text, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A note column only where some row has a note: an empty one took a narrow terminal's room for nothing.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheNoteColumn_IsThereOnlyWhereARowHasANote(bool withNote)
    {
        var rows = new[] { "sgd", "adamw" }.Select(o => new ResultRow("wt", o, 1e-3, 0.5, 0.4, false, 2, 2,
            withNote && o == "sgd" ? "1 learning rate(s) diverged, not compared" : null, null, null)).ToList();
        var lines = Rendered(rows, 120);
        var header = Assert.Single(lines, l => l.StartsWith("  method ", StringComparison.Ordinal));
        Assert.Equal(withNote, header.TrimEnd().EndsWith("note", StringComparison.Ordinal));
        Assert.Equal(withNote, string.Join("\n", lines).Contains("diverged, not compared", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(200, false)]
    [InlineData(100, false)]
    [InlineData(80, false)]
    [InlineData(70, false)]
    [InlineData(120, true)]
    [InlineData(80, true)]
    [InlineData(70, true)]
    public void EveryRow_StaysOnItsLine_AndFitsTheTerminal(int width, bool seeds)
    {
        // The study's grid: its longest method and optimizer names, and a note long enough to wrap; with several seeds
        // the accuracies carry their spread.
        string[] methods = ["backprop", "directional", "activation-perturbation", "wt", "downstream", "activation-mixing"];
        string[] optimizers = ["sgd", "adamw", "stable-adamw"];
        double? spread = seeds ? 0.0123 : null;
        var rows = methods.SelectMany(m => optimizers.Select(o => new ResultRow(m, o, 1e-3, 0.8765, 0.8123, true, 4, 4,
            m == "directional" ? "1 learning rate(s) diverged, not compared" : null, spread, spread))).ToList();
        var lines = Rendered(rows, width);

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: '{l}'"));
        Assert.Equal(seeds && width >= 80, System.Text.RegularExpressions.Regex.IsMatch(string.Join(" ", lines), @"±\s+their\s+standard\s+deviation"));
        Assert.Equal(seeds && width >= 80, lines.Any(l => l.Contains("% ±", StringComparison.Ordinal)));
        foreach (var r in rows)   // one line per row with its figures whole; the name whole where there is room
        {
            var method = width >= 100 || r.Method.Length <= 12 ? r.Method : r.Method[..12];   // "activation-p…", "activation-m…"
            // The spread where it fits (here from 80 columns); a narrower terminal gets the means alone, and says so.
            bool shown = seeds && width >= 80;
            var (train, test) = shown ? ("87.65% ±1.23", "81.23% ±1.23") : ("87.65%", "81.23%");
            Assert.Single(lines, l => l.Contains($" {method}") && l.Contains($" {r.Optimizer} ") && l.Contains(train) && l.Contains(test));
            if (r.Note is { } note)   // whole: in its column (wrapped at spaces) or below the table
                Assert.Contains(note, string.Join(" ", lines.Select(l => l.Trim())));
        }
    }

    [Theory]
    [InlineData(200, false)]
    [InlineData(120, false)]
    [InlineData(100, false)]
    [InlineData(80, false)]
    [InlineData(200, true)]
    [InlineData(120, true)]
    [InlineData(80, true)]
    public void TheLeadColumn_NamesTheRunnerUpWhereItFits_AfterTheSpread_WithItsLegend(int width, bool seeds)
    {
        string[] methods = ["backprop", "activation-perturbation", "activation-mixing"];
        double? spread = seeds ? 0.0123 : null;
        var rows = methods.SelectMany(m => new[] { "sgd", "stable-adamw" }.Select(o => new ResultRow(m, o, 1e-3, 0.8765, 0.8123, false, 4, 4,
            null, spread, spread, RunnerUpLearningRate: 1e-2, Lead: 0.0087))).ToList();
        var lines = Rendered(rows, width);

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: '{l}'"));
        var leads = lines.Count(l => l.Contains("0.87 (1e-2)", StringComparison.Ordinal));
        Assert.True(leads == 0 || leads == rows.Count, $"{leads} rows of {rows.Count} show the lead");
        var shown = leads > 0;
        Assert.Equal(shown, lines.Any(l => l.StartsWith("lead: points of final train accuracy ahead of the next", StringComparison.Ordinal)));
        Assert.Equal(shown, lines.Any(l => l.StartsWith("  method ", StringComparison.Ordinal) && l.Contains(" lead ", StringComparison.Ordinal)));
        if (width >= 120) Assert.True(shown, "a wide terminal has room for the lead");
        // The spread of the accuracies goes first: a lead is never shown where the spread was dropped for room.
        if (seeds && shown) Assert.Contains(lines, l => l.Contains("% ±1.23", StringComparison.Ordinal));
        if (seeds && width == 80) Assert.False(shown);
    }

    /// <summary>The lines <paramref name="rows"/> render as on a terminal <paramref name="width"/> columns wide, no colours.</summary>
    private static string[] Rendered(List<ResultRow> rows, int width)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = width;
        ResultsTable.Render(new SweepResults("s", SweepState.Completed, new SelectionSpec(), rows), console);
        return writer.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }
}
