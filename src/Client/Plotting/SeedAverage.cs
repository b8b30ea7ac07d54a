using GradGuessCluster.Client.Export;
using GradGuessCluster.Grains.Interfaces;

namespace GradGuessCluster.Client.Plotting;

/// <summary>A learning rate's curve averaged over its seeds, only at epochs where every seed has a value: a mean over
/// whichever seeds got there would jump where one stops (diverged, or still running or queued in a partial sweep). Each
/// point keeps the seeds' spread too.</summary>
public static class SeedAverage
{
    /// <param name="rows">One learning rate's rows: any seeds, any epochs.</param>
    /// <param name="seeds">Every seed of the learning rate, those without rows yet included.</param>
    /// <param name="value">The value to average (an accuracy, a cosine); null or non-finite is no value.</param>
    public static IReadOnlyList<PlotPoint> Of(IEnumerable<CurveRow> rows, IReadOnlyCollection<int> seeds, Func<CurveRow, double?> value) =>
        rows.Where(r => value(r) is { } v && double.IsFinite(v))
            .GroupBy(r => r.Epoch)
            .Where(epoch => seeds.All(s => epoch.Any(r => r.Seed == s)))
            .OrderBy(epoch => epoch.Key)
            .Select(epoch => Point(epoch.Key, epoch.Select(r => value(r)!.Value).ToList()))
            .ToList();

    /// <summary>Mean and spread (0 for one seed: no band) of one epoch's values over the seeds.</summary>
    private static PlotPoint Point(int epoch, List<double> values) =>
        new(epoch, values.Average(), SeedStatistics.SampleStandardDeviation(values) ?? 0);
}
