using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Plotting;

/// <summary>What <c>plot --rates</c> draws, read from a sweep's results: each accuracy asked for ranked by the spec's rule
/// (its point and window) with that accuracy as the metric, so each line's ring marks the rate that accuracy picks.</summary>
internal static class RatesPlotData
{
    /// <summary>The lines to draw, and the spec's rule they were ranked by (for the title).</summary>
    public static async Task<(IReadOnlyList<RateSeries> Series, SelectionSpec Rule)> ReadAsync(ISweepSource source, string sweep, PlotMetric metric,
        CancellationToken ct)
    {
        var rule = (await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep)).SelectionOrDefault;
        var series = new List<RateSeries>();
        foreach (var test in Accuracies(metric))
        {
            var results = await source.GetResultsAsync(sweep, Rule(rule, test), ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
            series.AddRange(results.Rows.Select(r => new RateSeries(r.Method, r.Optimizer, test, RatesTable.RatesOf(r, "plot --rates"), r.BestLearningRate)));
        }
        if (!series.Any(s => s.Rates.Any(r => r.Score is not null)))
            throw new UsageException($"sweep {sweep} has no learning rate with a score to plot yet: a rate scores once all its seeds have completed");
        return (series, rule);
    }

    /// <summary>"fmnist-quick: final train and test accuracy at each learning rate, a panel per optimizer".</summary>
    public static string Title(string sweep, SelectionSpec rule, PlotMetric metric)
    {
        var what = ResultsTable.Rule(Rule(rule, metric == PlotMetric.Test));
        if (metric == PlotMetric.Both) what = what.Replace("train accuracy", "train and test accuracy", StringComparison.Ordinal);
        return $"{sweep}: {what} at each learning rate, a panel per optimizer";
    }

    private static bool[] Accuracies(PlotMetric metric) => metric switch
    {
        PlotMetric.Train => [false],
        PlotMetric.Test => [true],
        _ => [false, true],
    };

    private static SelectionSpec Rule(SelectionSpec rule, bool test) =>
        rule with { Metric = test ? SelectionMetric.TestAccuracy : SelectionMetric.TrainAccuracy };
}
