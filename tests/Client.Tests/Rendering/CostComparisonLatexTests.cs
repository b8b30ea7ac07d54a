using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary><c>compare A B --cost --latex</c>: a row per method × optimizer with each side's milliseconds per
/// cell-epoch, B over A, each side's time and B − A, dashes where a side lacks the row or has trained nothing.</summary>
public sealed class CostComparisonLatexTests
{
    private static ResultRow Row(string method, string optimizer, double train) => new(method, optimizer, 1e-3, train, train - 0.05, false, 1, 1, null);

    private static SweepComparison Compared()
    {
        SweepSpec Spec(string name, int guesses) => new(name, new DataSpec("synthetic"), new ModelSpec(), ["backprop", "wt", "my_method"],
            ["adamw", "sgd"], [1e-3], [0], 5, Estimator: new EstimatorSpec(Guesses: guesses));
        return SweepComparison.Of(
            Spec("a", 1), new SweepResults("a", SweepState.Completed, new SelectionSpec(), [Row("backprop", "adamw", 0.9), Row("wt", "adamw", 0.7)]),
            Spec("b", 4), new SweepResults("b", SweepState.Running, new SelectionSpec(), [Row("backprop", "adamw", 0.9), Row("my_method", "sgd", 0.5)]));
    }

    [Fact]
    public async Task EachRow_HasBothSidesMilliseconds_TheirRatio_TheirTimes_AndTheChange_AndItCompiles()
    {
        var comparison = Compared();
        RowCost Cost(string method, string optimizer, long cellEpochs, double? epoch, double seconds) =>
            new(method, optimizer, 1, cellEpochs, epoch, 0.1, seconds, null);
        IReadOnlyList<ComparedCost> rows =
        [
            new("backprop", "adamw", Cost("backprop", "adamw", 5, 0.4624, 3.1), Cost("backprop", "adamw", 5, 0.4, 2.75), 0.0),
            new("wt", "adamw", Cost("wt", "adamw", 5, 0.5, 4.2), null, null),
            new("my_method", "sgd", null, Cost("my_method", "sgd", 0, null, 0), null),
        ];
        var lines = CostComparisonLatex.Lines(comparison, rows).ToList();

        Assert.StartsWith("% A = a (completed), B = b (running): training milliseconds per cell-epoch (median)", lines[0]);
        Assert.EndsWith("Δ = B − A of final train accuracy at each side's best rate, in points", lines[0]);
        Assert.Equal("% estimator.guesses: A 1, B 4", lines[1]);   // how the specs differ, for the caption
        Assert.StartsWith("% written by `gradguess compare --cost --latex`", lines[2]);
        Assert.Equal("Method & Optimizer & A & B & B / A & A & B & $\\Delta$ \\\\", lines[7]);
        Assert.Equal(
        [
            "Backprop & AdamW & 462 & 400 & 0.87 & 3.10 & 2.75 & $0.0$ \\\\",
            "$W^T$ & AdamW & 500 & -- & -- & 4.20 & -- & -- \\\\",
            "my\\_method & SGD & -- & -- & -- & -- & -- & -- \\\\",
        ], lines.Skip(9).Take(3));
        Assert.Equal(["\\bottomrule", "\\end{tabular}"], lines[^2..]);
        await LatexDocument.AssertCompilesAsync(lines);
    }
}
