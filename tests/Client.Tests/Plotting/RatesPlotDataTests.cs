using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary>What <c>plot --rates</c> reads: each accuracy ranked by the rule with that accuracy as its metric.</summary>
public sealed class RatesPlotDataTests
{
    /// <summary>Answers every results read with its rows, and remembers the rules it was asked for.</summary>
    private sealed class Source(IReadOnlyList<ResultRow> rows) : ISweepSource
    {
        public List<SelectionSpec?> Asked { get; } = [];
        public bool Paused => false;
        public Task<IReadOnlyList<SweepSummary>> ListAsync(CancellationToken ct) => throw new NotSupportedException();
        public Task<SweepStatus?> GetStatusAsync(string sweep, CancellationToken ct) => throw new NotSupportedException();
        public Task<SweepSpec?> GetSpecAsync(string sweep, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<CellCurve>> GetCurvesAsync(string sweep, CancellationToken ct) => throw new NotSupportedException();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public Task<SweepResults?> GetResultsAsync(string sweep, SelectionSpec? selection, CancellationToken ct)
        {
            Asked.Add(selection);
            return Task.FromResult<SweepResults?>(new SweepResults(sweep, SweepState.Running, selection!, rows));
        }
    }

    private static ResultRow Row(RateOutcome outcome, double? score) =>
        new("wt", "adamw", score is null ? null : 1e-3, score, score, false, 1, 2, null,
            Rates: [new RateScore(1e-3, outcome, score), new RateScore(1e-2, RateOutcome.Pending)]);

    [Fact]
    public async Task Both_ReadsTrainAndTest_EachRankedByItself_UnderTheRulesPointAndWindow()
    {
        var source = new Source([Row(RateOutcome.Scored, 0.8)]);
        var rule = new SelectionSpec(SelectionMetric.TestAccuracy, SelectionPoint.Best, Window: 3);

        var series = await RatesPlotData.ReadAsync(source, "s", PlotMetric.Both, rule, CancellationToken.None);

        Assert.Equal([rule with { Metric = SelectionMetric.TrainAccuracy }, rule], source.Asked);
        Assert.Equal([false, true], series.Select(s => s.Test));
        Assert.All(series, s => Assert.Equal(1e-3, s.Best));
        Assert.Equal("s: best train and test accuracy averaged over 3 consecutive evaluations at each learning rate, a panel per optimizer",
            RatesPlotData.Title("s", rule, PlotMetric.Both));
    }

    [Fact]
    public async Task NoRateScoredYet_IsRefused_SayingWhen()
    {
        var source = new Source([Row(RateOutcome.Pending, null)]);

        var e = await Assert.ThrowsAsync<UsageException>(() => RatesPlotData.ReadAsync(source, "s", PlotMetric.Train, new SelectionSpec(), CancellationToken.None));

        Assert.Equal("sweep s has no learning rate with a score to plot yet: a rate scores once all its seeds have completed", e.Message);
    }
}
