using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Tests.Summaries;

/// <summary><c>gradguess diagnostics</c>' per-cell summary: the cosine's early and late means, the ranks at the first and
/// last evaluated epoch, and the accuracies where results reads them.</summary>
public class CellSummaryTests
{
    /// <summary>Epoch e: cosine e/100, ranks [e, 2e] and accuracy e/20 at the evaluated epochs (every
    /// <paramref name="evaluateEvery"/>th).</summary>
    private static EpochRecord Epoch(int e, int evaluateEvery = 1, bool diverged = false)
    {
        bool evaluated = e % evaluateEvery == 0 && !diverged;
        return new EpochRecord("c", e, diverged ? double.NaN : 1.0 / e, evaluated ? e / 20.0 : null, evaluated ? e / 40.0 : null,
            diverged ? double.NaN : e / 100.0, null, evaluated ? [e, 2.0 * e] : diverged ? [double.NaN, double.NaN] : null, 1, 0, 64, diverged);
    }

    private static CellCurve Curve(CellState state, IEnumerable<EpochRecord> records) =>
        new("c", new CellConfig("wt", "adamw", 1e-3, 3), state, records.ToList());

    [Fact]
    public void CosineWindows_AverageTheFirstAndLastEpochs_RanksAndAccuraciesComeFromTheEnds()
    {
        var s = CellSummary.From(Curve(CellState.Completed, Enumerable.Range(1, 10).Select(e => Epoch(e))), window: 3);

        Assert.Equal(("wt", "adamw", 1e-3, 3, 10), (s.Method, s.Optimizer, s.LearningRate, s.Seed, s.Epoch));
        Assert.Equal((0.01 + 0.02 + 0.03) / 3, s.CosineFirst!.Value, 12);
        Assert.Equal((0.08 + 0.09 + 0.10) / 3, s.CosineLast!.Value, 12);
        Assert.Equal((1, 10), (s.RankFirstEpoch, s.RankLastEpoch));
        Assert.Equal([1.0, 2.0], s.RankFirst!);
        Assert.Equal([10.0, 20.0], s.RankLast!);
        Assert.Equal((0.5, 0.25), (s.TrainAccuracy, s.TestAccuracy));
    }

    [Fact]
    public void EpochsNotEvaluated_GiveNoRankNorAccuracy_ButTheirCosineCounts()
    {
        // Evaluated every 4th epoch of 10: the last evaluated is 8, the first with a rank 4.
        var s = CellSummary.From(Curve(CellState.Completed, Enumerable.Range(1, 10).Select(e => Epoch(e, evaluateEvery: 4))), window: 2);

        Assert.Equal((4, 8), (s.RankFirstEpoch, s.RankLastEpoch));
        Assert.Equal((0.4, 0.2), (s.TrainAccuracy, s.TestAccuracy));
        Assert.Equal(0.015, s.CosineFirst!.Value, 12);
        Assert.Equal(0.095, s.CosineLast!.Value, 12);
    }

    [Fact]
    public void ADivergedCell_EndsAtItsDivergedEpoch_WithTheLastFiniteValuesBeforeIt()
    {
        var records = Enumerable.Range(1, 4).Select(e => Epoch(e)).Append(Epoch(5, diverged: true));
        var s = CellSummary.From(Curve(CellState.Diverged, records), window: 2);

        Assert.Equal((CellState.Diverged, 5), (s.State, s.Epoch));
        Assert.Equal(0.2, s.TrainAccuracy);
        Assert.Equal([4.0, 8.0], s.RankLast!);
        Assert.Equal(0.04, s.CosineLast!.Value, 12);   // epochs 4 and 5; 5's NaN left out
    }

    [Fact]
    public void ACellWithNoEpochYet_HasNothingToShow_AndTheWindowIsAtLeastOne()
    {
        var s = CellSummary.From(Curve(CellState.Queued, []), window: 5);
        Assert.Equal((0, null, null, null, null, null), (s.Epoch, s.TrainAccuracy, s.CosineFirst, s.CosineLast, s.RankFirst, s.RankLast));
        Assert.Throws<ArgumentOutOfRangeException>(() => CellSummary.From(Curve(CellState.Queued, []), window: 0));
        Assert.Equal((1, 1, 100), (CellSummary.DefaultWindow(1), CellSummary.DefaultWindow(19), CellSummary.DefaultWindow(1000)));
    }

    [Fact]
    public void TheTableRows_ShowStateBesideTheEpoch_AndADashWhereNothingWasMeasured()
    {
        var done = CellSummary.From(Curve(CellState.Completed, Enumerable.Range(1, 10).Select(e => Epoch(e))), window: 3);
        var queued = CellSummary.From(Curve(CellState.Queued, []), window: 3);

        var rows = CellSummaryTable.Cells([done, queued]).ToList();

        Assert.Equal(["wt", "adamw", "1e-3", "3", "10", "50.00%", "25.00%", "0.020 → 0.090", "-", "-", "1.0 → 10.0", "20.0"], rows[0]);
        Assert.Equal(["wt", "adamw", "1e-3", "3", "0 queued", "-", "-", "-", "-", "-", "-", "-"], rows[1]);
        var markdown = CellSummaryTable.MarkdownLines([done, queued]).ToList();
        Assert.Equal(4, markdown.Count);
        Assert.Equal("| wt | adamw | 1e-3 | 3 | 10 | 50.00% | 25.00% | 0.020 → 0.090 | - | - | 1.0 → 10.0 | 20.0 |", markdown[2]);
        // A rate the grid listed later (a row's own, an extension's) still reads in the row's order, largest first.
        var larger = done with { LearningRate = 1e-2, Seed = 0 };
        Assert.Equal([("1e-2", "0"), ("1e-3", "3"), ("1e-3", "3")], CellSummaryTable.Cells([done, queued, larger]).Select(r => (r[2], r[3])));
    }

    [Fact]
    public void RmsCosine_IsTheWindowsMeanProjectionOverItsRmsLength_NotAMeanOfRatios()
    {
        // (projection, length) per epoch. Window 1–2: mean projection 1, RMS length √((1 + 49) / 2) = 5 → 0.2, where the
        // mean of the epochs' own ratios would be (1 + 1/7) / 2 ≈ 0.57. Window 3–4: 2 / 20 = 0.1. Epoch 5's NaN is left out.
        (double P, double N)[] alignment = [(1, 1), (1, 7), (3, 20), (1, 20), (double.NaN, double.NaN)];
        var records = alignment.Select((a, i) => Epoch(i + 1) with { GradientProjection = a.P, UpdateNormRatio = a.N, StepCosine = a.P / 10 });
        var s = CellSummary.From(Curve(CellState.Completed, records.Take(4)), window: 2);
        Assert.Equal((1.0, 2.0), (s.ProjectionFirst!.Value, s.ProjectionLast!.Value));
        Assert.Equal(0.2, s.RmsCosineFirst!.Value, 12);
        Assert.Equal(0.1, s.RmsCosineLast!.Value, 12);
        Assert.Equal("0.200 → 0.100", CellSummaryTable.Cells([s]).Single()[8]);
        Assert.Equal((0.1, 0.2), (s.StepCosineFirst!.Value, s.StepCosineLast!.Value));    // plain means, of P / 10 here
        Assert.Equal("0.100 → 0.200", CellSummaryTable.Cells([s]).Single()[9]);

        var diverged = CellSummary.From(Curve(CellState.Diverged, records), window: 2);
        Assert.Equal(1 / 20.0, diverged.RmsCosineLast!.Value, 12);   // epochs 4 and 5: only 4, 5's NaN left out

        // Curves recorded before the projection was measured have none: nothing to show, not 0.
        var old = CellSummary.From(Curve(CellState.Completed, Enumerable.Range(1, 4).Select(e => Epoch(e))), window: 2);
        Assert.Equal((null, null, null, null, null), (old.ProjectionFirst, old.ProjectionLast, old.RmsCosineFirst, old.RmsCosineLast, old.StepCosineLast));
    }

    /// <summary>The study's longest names: at 150 columns the table fits without the other ranks, at 140 without the step
    /// cosine too, at 120 without the rms cosine as well, and each row keeps to its line; at 80 nothing makes it fit
    /// (--markdown and --json are for that), but it still says what it left out.</summary>
    [Theory]
    [InlineData(200, "", true)]
    [InlineData(150, "other ranks", true)]
    [InlineData(140, "other ranks, step cosine", true)]
    [InlineData(120, "other ranks, step cosine, rms cosine", true)]
    [InlineData(80, "other ranks, step cosine, rms cosine", false)]
    public void ANarrowTerminal_LeavesOutColumns_AndSaysWhich(int width, string leftOut, bool rowsOnTheirLines)
    {
        var cells = new[] { "activation-perturbation", "activation-mixing", "wt" }.Select(m => CellSummary.From(
            new CellCurve("c", new CellConfig(m, "stable-adamw", 1e-3, 0), CellState.Completed,
                Enumerable.Range(1, 10).Select(e => Epoch(e)).ToList()), window: 3)).ToList();
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = width;

        CellSummaryTable.Render("s", cells, 3, console);

        var lines = writer.ToString().ReplaceLineEndings("\n").Split('\n');
        var header = Assert.Single(lines, l => l.TrimStart().StartsWith("method", StringComparison.Ordinal));
        foreach (var column in new[] { "other ranks", "step cosine", "rms cosine" })
            Assert.Equal(!leftOut.Contains(column, StringComparison.Ordinal), header.Contains(column, StringComparison.Ordinal));
        var said = lines.Where(l => l.StartsWith("(left out to fit the terminal: ", StringComparison.Ordinal)).ToList();
        if (leftOut == "") Assert.Empty(said);
        else Assert.StartsWith($"(left out to fit the terminal: {leftOut}; ", Assert.Single(said));
        if (rowsOnTheirLines) Assert.Equal(3, lines.Count(l => l.Contains("0.020 → 0.090", StringComparison.Ordinal)));
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} characters: {l}"));
    }
}
