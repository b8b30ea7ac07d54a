using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary><c>results --latex</c>: the study's table shape (a row per method, a column group per optimizer) as a tabular.</summary>
public sealed class ResultsLatexTests
{
    private static ResultRow Row(string method, string optimizer, double? lr, double? train, double? test, bool edge = false, double? std = null,
        string? note = null, IReadOnlyList<RateScore>? rates = null) =>
        new(method, optimizer, lr, train, test, edge, 2, 2, note, std, std, Rates: rates);

    [Fact]
    public void TheTable_HasARowPerMethod_AndPerOptimizerItsRateAndAccuracies()
    {
        var results = new SweepResults("study", SweepState.Completed, new SelectionSpec(),
        [
            Row("backprop", "adamw", 1e-3, 0.9123, 0.8801), Row("backprop", "sgd", 1e-2, 0.85, 0.84, edge: true),
            Row("wt", "adamw", 3e-4, 0.7, 0.69, std: 0.0123), Row("wt", "sgd", null, null, null, note: "all diverged"),
        ]);

        var lines = ResultsLatex.Lines(results).ToList();

        Assert.StartsWith("% results of study (completed): best learning rate per method × optimizer by final train accuracy", lines[0]);
        int begin = lines.IndexOf("\\begin{tabular}{lrrrrrr}");
        Assert.True(begin > 0, string.Join("\n", lines));
        Assert.Equal(
        [
            "\\toprule",
            " & \\multicolumn{3}{c}{AdamW} & \\multicolumn{3}{c}{SGD} \\\\",
            "\\cmidrule(lr){2-4} \\cmidrule(lr){5-7}",
            "Method & LR & Train & Test & LR & Train & Test \\\\",
            "\\midrule",
            "Backprop & $10^{-3}$ & 91.2 & 88.0 & $10^{-2}$$^*$ & 85.0 & 84.0 \\\\",
            "$W^T$ & $3\\times10^{-4}$ & $70.0 \\pm 1.2$ & $69.0 \\pm 1.2$ & -- & -- & -- \\\\",
            "\\bottomrule",
            "\\end{tabular}",
            "% $^*$: the best learning rate is at the edge of the grid, so the optimum may lie outside it",
            "% wt × sgd: all diverged",
        ], lines.Skip(begin + 1));
        // Every body row has the header's number of cells.
        Assert.All(lines.Skip(begin + 1).Where(l => l.EndsWith("\\\\", StringComparison.Ordinal) && !l.StartsWith(' ')),
            l => Assert.Equal(6, l.Count(c => c == '&')));
    }

    /// <summary>The tabular compiles: every method and optimizer, a spread, an edge, a row without a pick, in a document
    /// that loads booktabs (pdflatex, as .ci/run installs it).</summary>
    [Fact]
    public async Task TheTable_CompilesWithPdflatex()
    {
        string[] optimizers = ["adamw", "sgd", "stable-adamw"];
        var rows = SpecNames.Methods.Append("matched-noise@0.1").SelectMany(m => optimizers.Select((o, i) =>
            m == "directional" && o == "sgd" ? Row(m, o, null, null, null, note: "all diverged", rates: [new RateScore(1e-2, RateOutcome.Diverged)])
                : Row(m, o, 1.4e-3 * (i + 1), 0.5 + 0.01 * i, 0.45, edge: i == 2, std: i == 1 ? 0.01 : null,
                    rates: [new RateScore(1e-2, RateOutcome.Scored, 0.4, i == 1 ? 0.01 : null), new RateScore(1.4e-3 * (i + 1), RateOutcome.Scored, 0.5)]))).ToList();
        var results = new SweepResults("study_1", SweepState.Completed, new SelectionSpec(), rows);
        await LatexDocument.AssertCompilesAsync([.. ResultsLatex.Lines(results), "", .. RatesLatex.Lines(results), "", .. ComparisonLatex.Lines(Compared(results))]);
    }

    /// <summary><paramref name="a"/> against itself with every accuracy a point higher (one row's spread makes it a near-tie),
    /// and another epoch count, as <c>compare</c> sees two sweeps.</summary>
    private static SweepComparison Compared(SweepResults a)
    {
        SweepSpec Spec(string name, int epochs) => new(name, new DataSpec("synthetic"), new ModelSpec(), [.. a.Rows.Select(r => r.Method).Distinct()],
            [.. a.Rows.Select(r => r.Optimizer).Distinct()], [1e-2, 1e-3], [0], epochs);
        var b = a with { Name = "b_2", Rows = [.. a.Rows.Select(r => r with { TrainAccuracy = r.TrainAccuracy + 0.01, TestAccuracy = r.TestAccuracy + 0.01 })] };
        return SweepComparison.Of(Spec(a.Name, 5), a, Spec("b_2", 10), b);
    }

    [Fact]
    public void TheComparison_HasARowPerMethodAndOptimizer_WithBothRatesAndTheChanges()
    {
        var a = new SweepResults("a", SweepState.Completed, new SelectionSpec(),
            [Row("backprop", "adamw", 1e-3, 0.9, 0.88), Row("wt", "adamw", 3e-3, 0.7, 0.69, std: 0.02), Row("wt", "sgd", null, null, null, note: "all diverged")]);

        var lines = ComparisonLatex.Lines(Compared(a)).ToList();

        Assert.Equal("% A = a (completed), B = b_2 (completed): best learning rate per method × optimizer by final train accuracy, mean over seeds; " +
                     "Δ = B − A in points", lines[0]);
        Assert.Contains("% epochs: A 5, B 10", lines);
        Assert.Equal(
        [
            "Backprop & AdamW & $10^{-3}$ & $10^{-3}$ & 90.0 & 91.0 & $+1.0$ & 88.0 & 89.0 & $+1.0$ \\\\",
            "$W^T$ & AdamW & $3\\times10^{-3}$ & $3\\times10^{-3}$ & 70.0 & 71.0 & $+1.0$$^\\approx$ & 69.0 & 70.0 & $+1.0$ \\\\",
            " & SGD & -- & -- & -- & -- & -- & -- & -- & -- \\\\",
        ], lines.SkipWhile(l => l != "\\midrule").Skip(1).Take(3));
        Assert.EndsWith("another pair of seeds could reverse it", lines[^1]);
    }

    [Fact]
    public void TheRatesTable_HasARowPerMethodAndOptimizer_AndAColumnPerRate_TheChosenInBold()
    {
        var results = new SweepResults("study", SweepState.Completed, new SelectionSpec(),
        [
            Row("backprop", "adamw", 1e-3, 0.9, 0.88, rates: [new RateScore(1e-2, RateOutcome.Diverged), new RateScore(1e-3, RateOutcome.Scored, 0.9123, 0.0051)]),
            Row("wt", "adamw", 3e-3, 0.7, 0.69, rates:
                [new RateScore(1e-2, RateOutcome.Scored, 0.5), new RateScore(1e-3, RateOutcome.Pending), new RateScore(3e-3, RateOutcome.Scored, 0.7)]),
            Row("wt", "sgd", 1e-2, 0.6, 0.59, rates: [new RateScore(1e-2, RateOutcome.Scored, 0.6), new RateScore(1e-3, RateOutcome.Failed),
                new RateScore(3e-3, RateOutcome.Diverged, DivergedSeeds: 1, Seeds: 3)]),
        ]);

        var lines = RatesLatex.Lines(results).ToList();

        Assert.StartsWith("% results of study (completed): final train accuracy at each learning rate", lines[0]);
        Assert.Equal(
        [
            "\\begin{tabular}{llrrr}",
            "\\toprule",
            "Method & Optimizer & $10^{-2}$ & $3\\times10^{-3}$ & $10^{-3}$ \\\\",
            "\\midrule",
            "Backprop & AdamW & \\emph{diverged} & -- & $\\mathbf{91.2 \\pm 0.5}$ \\\\",
            "$W^T$ & AdamW & $50.0$ & $\\mathbf{70.0}$ & \\emph{pending} \\\\",
            " & SGD & $\\mathbf{60.0}$ & \\emph{diverged 1/3} & \\emph{failed} \\\\",   // the method named once
            "\\bottomrule",
            "\\end{tabular}",
        ], lines.Skip(2));
    }

    [Theory]
    [InlineData(1e-3, "$10^{-3}$")]
    [InlineData(3e-3, "$3\\times10^{-3}$")]
    [InlineData(1.4e-3, "$1.4\\times10^{-3}$")]
    [InlineData(1.0, "$1$")]
    [InlineData(20.0, "$2\\times10^{1}$")]
    public void ARate_IsWrittenAsAPaperWritesIt(double lr, string expected) => Assert.Equal(expected, LatexText.Rate(lr));

    [Fact]
    public void EveryMethodHasTheStudysName()
    {
        Assert.Equal(["Backprop", "Directional descent", "Activation perturbation", "Activation mixing", "$W^T$", "1-layer downstream", "Matched noise"],
            new[] { "backprop", "directional", "activation-perturbation", "activation-mixing", "wt", "downstream", "matched-noise" }.Select(LatexText.MethodName));
        Assert.Equal("a\\_b \\& c", LatexText.MethodName("a_b & c"));
        Assert.Equal("Matched noise ($\\cos = 0.1$)", LatexText.MethodName("matched-noise@0.1"));
        Assert.All(SpecNames.Methods, m => Assert.NotEqual(m, LatexText.MethodName(m)));   // a method added to the specs gets its name here
    }
}
