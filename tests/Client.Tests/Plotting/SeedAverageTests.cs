using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;

namespace GradGuessCluster.Client.Tests.Plotting;

public class SeedAverageTests
{
    private static CurveRow Row(int seed, int epoch, double? accuracy) =>
        new("s", $"c{seed}", "wt", "adamw", 1e-3, seed, epoch, accuracy, null, 1, null, 1, "running");

    private static IReadOnlyList<(int, double)> Train(IReadOnlyCollection<int> seeds, params CurveRow[] rows) =>
        SeedAverage.Of(rows, seeds, r => r.TrainAccuracy).Select(p => (p.Epoch, p.Value)).ToList();

    [Fact]
    public void OneSeedBehind_TheCurveEndsWhereItStops()
    {
        var mean = Train([0, 1], Row(0, 1, 0.2), Row(0, 2, 0.4), Row(0, 3, 0.9), Row(1, 1, 0.4), Row(1, 2, 0.6));
        Assert.Equal([(1, 0.3), (2, 0.5)], mean.Select(p => (p.Item1, Math.Round(p.Item2, 12))));
    }

    [Fact]
    public void ASeedWithoutAValueAtAnEpoch_LeavesThatEpochOut()
    {
        // Seed 1 diverged at epoch 2: its last row has no accuracy, and it has no rows after.
        var mean = Train([0, 1], Row(0, 1, 0.2), Row(0, 2, 0.4), Row(0, 3, 0.5), Row(1, 1, 0.4), Row(1, 2, null), Row(0, 4, double.NaN));
        Assert.Equal([(1, 0.3)], mean.Select(p => (p.Item1, Math.Round(p.Item2, 12))));
    }

    [Fact]
    public void ASeedWithNoRowsYet_GivesNoPoints()
    {
        Assert.Empty(Train([0, 1, 2], Row(0, 1, 0.2), Row(1, 1, 0.4)));
        Assert.Equal([(1, 0.3)], Train([0, 1], Row(0, 1, 0.2), Row(1, 1, 0.4)).Select(p => (p.Item1, Math.Round(p.Item2, 12))));
    }

    [Fact]
    public void EachPoint_KeepsTheSeedsSampleStandardDeviation()
    {
        var points = SeedAverage.Of([Row(0, 1, 0.2), Row(1, 1, 0.4), Row(2, 1, 0.9), Row(0, 2, 0.5), Row(1, 2, 0.5), Row(2, 2, 0.5)],
            [0, 1, 2], r => r.TrainAccuracy);
        Assert.Equal(0.5, points[0].Value, 12);
        Assert.Equal(Math.Sqrt((0.09 + 0.01 + 0.16) / 2), points[0].Spread, 12);
        Assert.Equal(0, points[1].Spread, 12);
        Assert.Equal(0, SeedAverage.Of([Row(0, 1, 0.2)], [0], r => r.TrainAccuracy).Single().Spread);   // one seed: no band
    }
}
