using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary><c>plot --time</c>'s lines: each row's best learning rate, its seeds' mean training time per cell up to each
/// epoch they all evaluated (each pack's time shared among its cells), and their mean accuracy there.</summary>
public sealed class TimeSeriesTests
{
    private static EpochRecord Epoch(string cell, int epoch, double seconds, double? train, double? test = null, bool diverged = false) =>
        new(cell, epoch, 1.0, train, test ?? train, null, null, null, seconds, 0.5, 64, diverged);

    private static (CellStatus, CellCurve) Cell(string id, string pack, double lr, int seed, params EpochRecord[] records)
    {
        var config = new CellConfig("wt", "adamw", lr, seed);
        return (new CellStatus(id, pack, config, CellState.Completed, records.Length, 3, null, null, null, null, null, null),
            new CellCurve(id, config, CellState.Completed, records));
    }

    private static IReadOnlyList<TimeSeries> Series(double? best, bool[] tests, params (CellStatus Status, CellCurve Curve)[] cells) =>
        TimeSeries.Of(new SweepStatus("s", SweepState.Completed, 3, [.. cells.Select(c => c.Status)], DateTimeOffset.UnixEpoch, null),
            new SweepResults("s", SweepState.Completed, new SelectionSpec(), [new ResultRow("wt", "adamw", best, 0.5, 0.5, false, 4, 4, null)]),
            [.. cells.Select(c => c.Curve)], tests);

    [Fact]
    public void APoint_IsTheSeedsMeanTimeAndAccuracy_AtEachEpochEverySeedEvaluated()
    {
        var line = Assert.Single(Series(1e-3, [false],
            // Seed 0 shares its pack with another rate: each epoch's 2 s counts 1 s to it. Seed 1 trains alone, 1.5 s an epoch,
            // and was not evaluated at epoch 1.
            Cell("a", "p1", 1e-3, 0, Epoch("a", 1, 2, 0.3), Epoch("a", 2, 2, 0.5), Epoch("a", 3, 2, 0.6)),
            Cell("b", "p1", 1e-2, 0, Epoch("b", 1, 2, 0.9), Epoch("b", 2, 2, 0.9), Epoch("b", 3, 2, 0.9)),   // not the best rate
            Cell("c", "p2", 1e-3, 1, Epoch("c", 1, 1.5, null), Epoch("c", 2, 1.5, 0.7), Epoch("c", 3, 1.5, 0.8))));

        Assert.Equal(("wt", "adamw", 1e-3, false), (line.Method, line.Optimizer, line.LearningRate, line.Test));
        Assert.Equal(2, line.Points.Count);
        Assert.Equal((2.5, 0.6), (line.Points[0].Seconds, line.Points[0].Accuracy), new Near());   // (2 + 3) / 2, (0.5 + 0.7) / 2
        Assert.Equal((3.75, 0.7), (line.Points[1].Seconds, line.Points[1].Accuracy), new Near());  // (3 + 4.5) / 2
    }

    [Fact]
    public void ADivergedEpochIsNoPoint_TheTestLineReadsTheTestAccuracy_AndARowWithoutABestRateHasNoLine()
    {
        var cells = new[] { Cell("a", "p1", 1e-3, 0, Epoch("a", 1, 1, 0.3, 0.25), Epoch("a", 2, 1, 0.5, 0.45), Epoch("a", 3, 1, 0.1, diverged: true)) };

        var lines = Series(1e-3, [false, true], cells);
        Assert.Equal([false, true], lines.Select(l => l.Test));
        Assert.Equal([1.0, 2.0], lines[0].Points.Select(p => p.Seconds));
        Assert.Equal([0.25, 0.45], lines[1].Points.Select(p => p.Accuracy));
        Assert.Empty(Series(null, [false], cells));
    }

    private sealed class Near : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) a, (double, double) b) => Math.Abs(a.Item1 - b.Item1) < 1e-12 && Math.Abs(a.Item2 - b.Item2) < 1e-12;

        public int GetHashCode((double, double) obj) => 0;
    }
}
