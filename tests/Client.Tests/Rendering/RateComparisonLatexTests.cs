using System.Globalization;
using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary><c>compare A B --rates --latex</c>: a line per method × optimizer × learning rate of both grids, each side's
/// score there, the chosen ones in bold, and B − A.</summary>
public sealed class RateComparisonLatexTests
{
    private static ResultRow Row(string method, string optimizer, double? best, params RateScore[] rates) =>
        new(method, optimizer, best, 0.5, 0.5, false, 2, 2, null, Rates: rates);

    private static RateScore Scored(double lr, double score) => new(lr, RateOutcome.Scored, score, 0.01);

    private static SweepComparison Compared(IReadOnlyList<ResultRow> a, IReadOnlyList<ResultRow> b)
    {
        SweepSpec Spec(string name, IReadOnlyList<ResultRow> rows) => new(name, new DataSpec("synthetic"), new ModelSpec(),
            [.. rows.Select(r => r.Method).Distinct()], [.. rows.Select(r => r.Optimizer).Distinct()], [1e-2, 1e-3], [0], 5);
        return SweepComparison.Of(Spec("a", a), new SweepResults("a", SweepState.Completed, new SelectionSpec(), a),
            Spec("b", b), new SweepResults("b_2", SweepState.Running, new SelectionSpec(), b));
    }

    /// <summary>Backprop on both grids (B's has a rate A's lacks), W^T AdamW only in A, W^T SGD pending in B, and a method
    /// only B has whose name needs escaping.</summary>
    private static SweepComparison Example() => Compared(
        [
            Row("backprop", "adamw", 1e-3, new RateScore(1e-2, RateOutcome.Diverged), Scored(1e-3, 0.9123), Scored(1e-4, 0.8)),
            Row("wt", "adamw", 1e-2, Scored(1e-2, 0.7), Scored(1e-3, 0.6)),
            Row("wt", "sgd", 1e-2, Scored(1e-2, 0.55), Scored(1e-3, 0.5)),
        ],
        [
            Row("backprop", "adamw", 3e-3, Scored(1e-2, 0.85), Scored(3e-3, 0.93), Scored(1e-3, 0.9)),
            Row("wt", "sgd", 1e-3, new RateScore(1e-2, RateOutcome.Pending), Scored(1e-3, 0.52)),
            Row("my_method", "sgd", 1e-2, Scored(1e-2, 0.4)),
        ]);

    [Fact]
    public void EveryRateOfBothGrids_HasALine_WithBothScores_TheChosenInBold_AndTheChange()
    {
        var lines = RateComparisonLatex.Lines(Example()).ToList();

        Assert.Equal("% A = a (completed), B = b_2 (running): final train accuracy at each learning rate per method × optimizer, mean over seeds; " +
                     "Δ = B − A in points where both scored", lines[0]);
        Assert.Equal("% methods: A backprop,wt, B backprop,wt,my_method", lines[1]);   // how the specs differ, for the caption
        Assert.EndsWith("bold: each sweep's chosen learning rate; --: a rate its grid lacks", lines[2]);   // no longer than a page
        Assert.Equal(
        [
            "\\begin{tabular}{llrrrr}",
            "\\toprule",
            " & & & \\multicolumn{3}{c}{Train (\\%)} \\\\",
            "\\cmidrule(lr){4-6}",
            "Method & Optimizer & LR & A & B & $\\Delta$ \\\\",
            "\\midrule",
            "Backprop & AdamW & $10^{-2}$ & \\emph{diverged} & $85.0$ &  \\\\",
            " &  & $3\\times10^{-3}$ & -- & $\\mathbf{93.0}$ &  \\\\",
            " &  & $10^{-3}$ & $\\mathbf{91.2}$ & $90.0$ & $-1.2$ \\\\",
            " &  & $10^{-4}$ & $80.0$ & -- &  \\\\",
            "\\addlinespace",
            "$W^T$ & AdamW & $10^{-2}$ & $\\mathbf{70.0}$ & -- &  \\\\",
            " &  & $10^{-3}$ & $60.0$ & -- &  \\\\",
            "\\addlinespace",
            " & SGD & $10^{-2}$ & $\\mathbf{55.0}$ & \\emph{pending} &  \\\\",   // the method named once
            " &  & $10^{-3}$ & $50.0$ & $\\mathbf{52.0}$ & $+2.0$ \\\\",
            "\\addlinespace",
            "my\\_method & SGD & $10^{-2}$ & -- & $\\mathbf{40.0}$ &  \\\\",
            "\\bottomrule",
            "\\end{tabular}",
        ], lines.SkipWhile(l => !l.StartsWith("\\begin", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AConfirmation_HasAPooledColumn_TheRowsBestInBold_AndCompiles()
    {
        var example = Example();
        var pooled = example with { Pool = new PooledSeeds(1, 2, [.. example.Rows.Where(r => r.A is not null && r.B is not null)
            .Select(r => PooledRow.Of(r.Method, r.Optimizer, r.A!.Rates!, r.B!.Rates!, 1, 2))]) };
        var lines = RateComparisonLatex.Lines(pooled).ToList();

        Assert.EndsWith("; Pooled: the mean over A's 1 seed and B's 2 where both scored, ± the sample standard deviation of all " +
                        "their scores, the row's best in bold", lines[2]);
        Assert.Contains("\\begin{tabular}{llrrrrr}", lines);
        Assert.Contains(" & & & \\multicolumn{3}{c}{Train (\\%)} & \\\\", lines);
        Assert.Contains("Method & Optimizer & LR & A & B & $\\Delta$ & Pooled \\\\", lines);
        // Backprop at 1e-3: (91.23 + 2 × 90) / 3 = 90.41, the only rate both scored, so the row's best; B's two seeds
        // 90 ± 1/√2, A's one 91.23: their sample standard deviation is 1.00 points.
        Assert.Contains(" &  & $10^{-3}$ & $\\mathbf{91.2}$ & $90.0$ & $-1.2$ & $\\mathbf{90.4 \\pm 1.0}$ \\\\", lines);
        Assert.Contains(" &  & $10^{-4}$ & $80.0$ & -- &  &  \\\\", lines);
        await LatexDocument.AssertCompilesAsync(lines);
    }

    /// <summary>The lines are the terminal table's (<c>compare --rates --markdown</c>): the same rates in the same order.</summary>
    [Fact]
    public void TheLines_AreTheMarkdownTablesRates()
    {
        var comparison = Example();
        var markdown = RateComparisonTable.MarkdownLines(comparison).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1)
            .Select(l => LatexText.Rate(double.Parse(l.Split(" | ")[2], CultureInfo.InvariantCulture)));
        var latex = RateComparisonLatex.Lines(comparison).SkipWhile(l => l != "\\midrule").Skip(1).TakeWhile(l => l != "\\bottomrule")
            .Where(l => l != "\\addlinespace").Select(l => l.Split(" & ")[2]);
        Assert.Equal(markdown, latex);
    }

    /// <summary>The table compiles, and one longer than a page says how to break it across pages: that compiles too.</summary>
    [Fact]
    public async Task TheTable_CompilesWithPdflatex_AndALongOneAsALongtable()
    {
        var optimizers = new[] { "adamw", "sgd", "stable-adamw" };
        var rows = SpecNames.Methods.Append("matched-noise@0.1").Append("a_b & c").SelectMany(m => optimizers.Select(o =>
            Row(m, o, 1.4e-3, new RateScore(1e-2, RateOutcome.Failed), Scored(1.4e-3, 0.5), Scored(20, 0.1)))).ToList();
        var lines = RateComparisonLatex.Lines(Compared(rows, [.. rows.Skip(1).Select(r => r with { BestLearningRate = 1e-2 })])).ToList();

        Assert.Contains($"; {3 * rows.Count} lines: longtable (\\usepackage{{longtable}}) in place of tabular breaks it across pages", lines[2]);
        await LatexDocument.AssertCompilesAsync(lines);
        await LatexDocument.AssertCompilesAsync(lines.Select(l => l.Replace("{tabular}", "{longtable}", StringComparison.Ordinal)), "longtable");
    }
}
