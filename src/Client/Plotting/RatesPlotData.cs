using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Plotting;

/// <summary>What <c>plot --rates</c> draws, read from a sweep's results: each accuracy asked for ranked by the rule (the
/// spec's point and window, or <c>--at</c>/<c>--window</c>) with that accuracy as the metric, so each line's ring marks the
/// rate that accuracy picks.</summary>
internal static class RatesPlotData
{
    /// <summary>The lines to draw, each accuracy asked for ranked by <paramref name="rule"/> with that accuracy as its metric.</summary>
    public static async Task<IReadOnlyList<RateSeries>> ReadAsync(ISweepSource source, string sweep, PlotMetric metric, SelectionSpec rule,
        CancellationToken ct)
    {
        var series = new List<RateSeries>();
        foreach (var test in Accuracies(metric))
        {
            var results = await source.GetResultsAsync(sweep, Rule(rule, test), ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
            series.AddRange(results.Rows.Select(r => new RateSeries(r.Method, r.Optimizer, test, RatesTable.RatesOf(r, "plot --rates"), r.BestLearningRate)));
        }
        if (!series.Any(s => s.Rates.Any(r => r.Score is not null)))
            throw new UsageException($"sweep {sweep} has no learning rate with a score to plot yet: a rate scores once all its seeds have completed");
        return series;
    }

    /// <summary>"fmnist-quick: final train and test accuracy at each learning rate, a panel per optimizer".</summary>
    public static string Title(string sweep, SelectionSpec rule, PlotMetric metric)
    {
        var what = ResultsTable.Rule(Rule(rule, metric == PlotMetric.Test));
        if (metric == PlotMetric.Both) what = what.Replace("train accuracy", "train and test accuracy", StringComparison.Ordinal);
        return $"{sweep}: {what} at each learning rate, a panel per optimizer";
    }

    /// <summary>Which accuracies a train, test or both plot draws: test or not.</summary>
    internal static bool[] Accuracies(PlotMetric metric) => metric switch
    {
        PlotMetric.Train => [false],
        PlotMetric.Test => [true],
        _ => [false, true],
    };

    private static SelectionSpec Rule(SelectionSpec rule, bool test) =>
        rule with { Metric = test ? SelectionMetric.TestAccuracy : SelectionMetric.TrainAccuracy };
}
