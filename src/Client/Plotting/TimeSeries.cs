using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Plotting;

/// <summary>One evaluated epoch of a <see cref="TimeSeries"/>: the seeds' mean training seconds per cell up to it, and
/// their mean accuracy there.</summary>
public readonly record struct TimePoint(double Seconds, double Accuracy);

/// <summary>One method's curve at its best learning rate against the training time its cells took, in one optimizer's
/// panel (<c>plot --time</c>), for one accuracy: what a method reaches for the time it is given, where its epochs cost
/// more or less than another's.</summary>
public sealed record TimeSeries(string Method, string Optimizer, double LearningRate, bool Test, IReadOnlyList<TimePoint> Points)
{
    /// <summary>Each ranked row's curve at its best learning rate, for each accuracy asked for. A cell's time is the sum
    /// of its training passes (evaluation left out: it measures, it does not train), each its pack's time shared among
    /// the pack's cells (<see cref="PackShares"/>); a point is an epoch every seed evaluated without diverging. A cell whose
    /// curve could not be read is left out (its caller names it): as a seed without epochs it would leave its line none.</summary>
    internal static IReadOnlyList<TimeSeries> Of(SweepStatus status, SweepResults results, IReadOnlyList<CellCurve> curves, bool[] tests)
    {
        var share = PackShares.Of(status);
        curves = [.. curves.Where(c => c.Unreadable is null)];
        var series = new List<TimeSeries>();
        foreach (var test in tests)
            foreach (var row in results.Rows)
            {
                if (row.BestLearningRate is not { } lr) continue;
                var cells = curves.Where(c => c.Config.Method == row.Method && c.Config.Optimizer == row.Optimizer && c.Config.LearningRate == lr).ToList();
                var perSeed = cells.Select(c => Cumulative(c, share(c.CellId), test)).ToList();
                series.Add(new TimeSeries(row.Method, row.Optimizer, lr, test, SeedMean(perSeed)));
            }
        return series;
    }

    /// <summary>A cell's evaluated epochs, each with its training seconds up to and including it.</summary>
    private static Dictionary<int, TimePoint> Cumulative(CellCurve cell, int share, bool test)
    {
        var points = new Dictionary<int, TimePoint>();
        double seconds = 0;
        foreach (var record in cell.Records.OrderBy(r => r.Epoch))
        {
            seconds += record.Seconds / share;
            if (!record.Diverged && (test ? record.TestAccuracy : record.TrainAccuracy) is { } accuracy && double.IsFinite(accuracy))
                points[record.Epoch] = new TimePoint(seconds, accuracy);
        }
        return points;
    }

    /// <summary>The seeds' mean at each epoch all of them evaluated (a mean over whichever seeds got there would jump where
    /// one stops), in epoch order.</summary>
    private static List<TimePoint> SeedMean(List<Dictionary<int, TimePoint>> seeds) =>
        seeds.Count == 0 ? [] :
        [
            .. seeds[0].Keys.Where(epoch => seeds.All(s => s.ContainsKey(epoch))).Order()
                .Select(epoch => new TimePoint(seeds.Average(s => s[epoch].Seconds), seeds.Average(s => s[epoch].Accuracy))),
        ];
}
