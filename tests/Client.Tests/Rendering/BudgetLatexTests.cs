using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary><c>results --budget --latex</c>: each row's pick had the sweep stopped earlier, beside its own, as a tabular.</summary>
public sealed class BudgetLatexTests
{
    private static ResultRow Row(string method, string optimizer, double? lr, double? train, double? test) =>
        new(method, optimizer, lr, train, test, false, 2, 2, null);

    private static SweepResults Results(string name, SelectionSpec rule, params ResultRow[] rows) => new(name, SweepState.Completed, rule, rows);

    [Theory]
    [InlineData(SelectionMetric.TrainAccuracy, "Train", "91.0", "70.0", "88.0", "95.0", "85.0")]
    [InlineData(SelectionMetric.TestAccuracy, "Test", "80.0", "60.0", "78.0", "90.0", "84.0")]
    public void ARowPerMethodAndOptimizer_PerEpochItsPickAndScore_AMovedPickInBold(SelectionMetric metric, string header,
        string adamwAt5, string sgdAt5, string adamwAt10, string adamwAtEnd, string sgdAtEnd)
    {
        var rule = new SelectionSpec(metric);
        var final = Results("study", rule, Row("backprop", "adamw", 1e-3, 0.95, 0.9), Row("backprop", "sgd", 3e-2, 0.85, 0.84),
            Row("my_method", "sgd", null, null, null));
        (int, SweepResults)[] budgets =
        [
            (5, Results("study", rule, Row("backprop", "adamw", 3e-3, 0.91, 0.8), Row("backprop", "sgd", 3e-2, 0.7, 0.6))),
            (10, Results("study", rule, Row("backprop", "adamw", 1e-3, 0.88, 0.78))),
        ];

        var lines = BudgetLatex.Lines(budgets, final, 20).ToList();

        Assert.StartsWith("% results of study (completed): best learning rate per method × optimizer had it stopped at an earlier epoch", lines[0]);
        Assert.EndsWith("bold: a learning rate the whole run's ranking does not pick; \\resizebox{\\textwidth}{!}{...} fits it to the page", lines[1]);
        Assert.Equal(
        [
            "\\begin{tabular}{llrrrrrr}",
            "\\toprule",
            " & & \\multicolumn{2}{c}{Epoch 5} & \\multicolumn{2}{c}{Epoch 10} & \\multicolumn{2}{c}{Epoch 20} \\\\",
            "\\cmidrule(lr){3-4} \\cmidrule(lr){5-6} \\cmidrule(lr){7-8}",
            $"Method & Optimizer & LR & {header} & LR & {header} & LR & {header} \\\\",
            "\\midrule",
            $"Backprop & AdamW & $\\mathbf{{3\\times10^{{-3}}}}$ & {adamwAt5} & $10^{{-3}}$ & {adamwAt10} & $10^{{-3}}$ & {adamwAtEnd} \\\\",
            $" & SGD & $3\\times10^{{-2}}$ & {sgdAt5} & -- & -- & $3\\times10^{{-2}}$ & {sgdAtEnd} \\\\",   // the method named once
            "my\\_method & SGD & -- & -- & -- & -- & -- & -- \\\\",
            "\\bottomrule",
            "\\end{tabular}",
        ], lines.Skip(2));
    }

    [Fact]
    public void WithoutAnEarlierBudget_OnlyTheEnd()
    {
        var final = Results("s", new SelectionSpec(), Row("wt", "stable-adamw", 1e-3, 0.7, 0.6));

        var lines = BudgetLatex.Lines([], final, 1).ToList();

        Assert.EndsWith("does not pick", lines[1]);   // narrow enough for a page
        Assert.Contains("\\begin{tabular}{llrr}", lines);
        Assert.Contains("$W^T$ & StableAdamW & $10^{-3}$ & 70.0 \\\\", lines);
    }

    /// <summary>The table compiles, and in the \resizebox its comment suggests.</summary>
    [Fact]
    public async Task TheTable_CompilesWithPdflatex_AlsoResized()
    {
        string[] optimizers = ["adamw", "sgd", "stable-adamw"];
        var rows = SpecNames.Methods.Append("matched-noise@0.1").Append("a_b & c").SelectMany(m => optimizers.Select((o, i) =>
            Row(m, o, i == 2 ? null : 1.4e-3 * (i + 1), 0.5, 0.4))).ToArray();
        var earlier = Results("s", new SelectionSpec(), [.. rows.Select(r => r with { BestLearningRate = 20.0 })]);
        var lines = BudgetLatex.Lines([(10, earlier), (25, earlier), (50, earlier)], Results("s_1", new SelectionSpec(), rows), 100).ToList();

        await LatexDocument.AssertCompilesAsync(lines);
        await LatexDocument.AssertCompilesAsync(["\\resizebox{\\textwidth}{!}{", .. lines, "}"], "graphicx");
    }
}
