using GradGuessCluster.Client;
using GradGuessCluster.Client.Commands;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Reporting;

/// <summary>Which earlier epochs the report's budget table reads, and how it marks a rate that moved.</summary>
public sealed class BudgetTableTests
{
    private static SweepSpec Spec(int epochs, int evaluateEvery = 1) =>
        new("b", new DataSpec("synthetic"), new ModelSpec(), ["wt"], ["sgd"], [0.1], new List<int> { 0 }, epochs, EvaluateEvery: evaluateEvery);

    [Theory]
    [InlineData(100, 5, 1, new[] { 10, 25, 50 })]
    [InlineData(1000, 1, 1, new[] { 100, 250, 500 })]
    [InlineData(100, 15, 1, new[] { 15, 45 })]      // read at the evaluation at or before each tenth, quarter, half
    [InlineData(3, 1, 1, new[] { 1 })]
    [InlineData(1, 1, 1, new int[0])]
    [InlineData(100, 5, 10, new[] { 50 })]          // a window of 10 evaluations fits only from epoch 50
    public void Epochs_AreATenthAQuarterAndAHalf_AtEvaluations_WhereTheWindowFits(int epochs, int evaluateEvery, int window, int[] expected) =>
        Assert.Equal(expected, BudgetTable.Epochs(Spec(epochs, evaluateEvery), window));

    [Fact]
    public void Epochs_OfASweepWhoseEpochsWereRaised_HoldTheEndsItHadBefore()
    {
        Assert.Equal([30, 75, 100, 150], BudgetTable.Epochs(Spec(300), 1, [Spec(100)]));
        Assert.Equal([50, 100, 250, 500], BudgetTable.Epochs(Spec(1000), 1, [Spec(50), Spec(100), Spec(1000)]));
        Assert.Equal([10, 25, 50], BudgetTable.Epochs(Spec(100), 1, [Spec(100)]));   // grown by values only: as before
    }

    [Theory]
    [InlineData("5,25,50", new[] { 5, 25, 50 })]
    [InlineData("50, 7,25,5", new[] { 5, 25, 50 })]   // read at the evaluation at or before, once each, in order
    [InlineData("99", new[] { 95 })]
    public void EpochsNamed_AreReadAtTheirEvaluations(string list, int[] expected) =>
        Assert.Equal(expected, ResultsCommand.BudgetEpochs(Spec(100, 5), 1, list));

    [Theory]
    [InlineData("5,x", "expected whole numbers from 1, comma-separated, got 'x'")]
    [InlineData("0", "got '0'")]
    [InlineData("100", "trains 100 epochs; its last is the table's own column")]
    [InlineData("3", "first evaluates at epoch 5")]
    [InlineData("", "got ''")]
    public void EpochsNamed_ThatReadNothing_AreRefused(string list, string message) =>
        Assert.Contains(message, Assert.Throws<UsageException>(() => ResultsCommand.BudgetEpochs(Spec(100, 5), 1, list)).Message);

    [Fact]
    public void EpochsNamed_WhereTheWindowDoesNotFit_AreRefused() =>
        Assert.Contains("a window of 10 evaluations, but each curve holds 5 up to epoch 25",
            Assert.Throws<UsageException>(() => ResultsCommand.BudgetEpochs(Spec(100, 5), 10, "50,25")).Message);

    [Fact]
    public void ARateThatMoved_IsBold_AndTheCountSaysHowManyRows()
    {
        ResultRow Row(string method, double lr, double train) => new(method, "sgd", lr, train, train - 0.01, false, 2, 2, null);
        var rule = new SelectionSpec();
        var final = new SweepResults("b", SweepState.Completed, rule, [Row("wt", 1e-3, 0.8712), Row("backprop", 1e-2, 0.99)]);
        var early = new SweepResults("b", SweepState.Completed, BudgetTable.At(rule, 10), [Row("wt", 1e-2, 0.5), Row("backprop", 1e-2, 0.7)]);
        var lines = BudgetTable.MarkdownLines([(10, early)], final, 100).ToList();

        Assert.Equal("| method | optimizer | epoch 10 | epoch 100 |", lines[0]);
        Assert.Equal("| wt | sgd | **1e-2** 50.00% | 1e-3 87.12% |", lines[2]);
        Assert.Equal("| backprop | sgd | 1e-2 70.00% | 1e-2 99.00% |", lines[3]);
        Assert.Equal(1, BudgetTable.MovedFromFirst([(10, early)], final));
    }
}
