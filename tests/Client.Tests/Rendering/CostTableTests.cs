using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Summaries;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>How <c>results --cost</c> writes its times, and that the column against backprop is there only where a row has one.</summary>
public sealed class CostTableTests
{
    [Theory]
    [InlineData(0.004825, "4.83 ms")]
    [InlineData(0.46237, "462 ms")]
    [InlineData(1.234, "1.23 s")]
    [InlineData(12.34, "12.3 s")]
    [InlineData(123.4, "123 s")]
    [InlineData(null, "-")]
    public void PerEpoch_ThreeFigures_InMillisecondsBelowASecond(double? seconds, string shown) => Assert.Equal(shown, CostTable.Seconds(seconds));

    [Theory]
    [InlineData(42.06, "42.1 s")]
    [InlineData(725, "12 min 05 s")]
    [InlineData(11_220, "3 h 07 min")]
    [InlineData(90_000, "25 h 00 min")]
    public void ATotal_InSecondsMinutesOrHours(double seconds, string shown) => Assert.Equal(shown, CostTable.Total(seconds));

    [Fact]
    public async Task AsLaTeX_ARowPerMethodAndOptimizer_InMilliseconds_AndItCompiles()
    {
        RowCost[] rows = [new("backprop", "sgd", 2, 6, 0.4624, 0.2163, 34.7, 1.0), new("wt", "sgd", 2, 6, 0.0526, 0.2, 4.8, 1.1373),
            new("my_method", "sgd", 0, 0, null, null, 0, null)];
        var lines = CostLatex.Lines("s", rows).ToList();

        Assert.Contains("Method & Optimizer & Train / epoch (ms) & $\\times$ backprop & Eval / epoch (ms) & Time (s) \\\\", lines);
        Assert.Contains("Backprop & SGD & 462 & 1.00 & 216 & 34.7 \\\\", lines);
        Assert.Contains("$W^T$ & SGD & 52.6 & 1.14 & 200 & 4.80 \\\\", lines);
        Assert.Contains("my\\_method & SGD & -- & -- & -- & -- \\\\", lines);
        await LatexDocument.AssertCompilesAsync(lines);
    }

    [Fact]
    public void TheRatioColumn_OnlyWhereBackpropTrainedWithTheOptimizer()
    {
        RowCost[] withBackprop = [new("backprop", "sgd", 2, 6, 0.5, 0.2, 4.2, 1.0), new("wt", "sgd", 2, 6, 0.6, 0.2, 4.8, 1.2),
            new("wt", "adamw", 0, 0, null, null, 0, null)];
        var lines = CostTable.MarkdownLines(withBackprop).ToList();

        Assert.Equal("| method | optimizer | cells | cell-epochs | train / epoch | × backprop | eval / epoch | time |", lines[0]);
        Assert.Equal("| wt | sgd | 2 | 6 | 600 ms | 1.20× | 200 ms | 4.80 s |", lines[3]);
        Assert.Equal("| wt | adamw | 0 | 0 | - | - | - | - |", lines[4]);
        Assert.StartsWith("all cells: 9.00 s of training and evaluation;", lines[^1]);

        var alone = CostTable.MarkdownLines([withBackprop[1] with { VersusBackprop = null }]).ToList();
        Assert.DoesNotContain("× backprop", string.Join("\n", alone));
        Assert.Equal("| wt | sgd | 2 | 6 | 600 ms | 200 ms | 4.80 s |", alone[2]);
    }
}
