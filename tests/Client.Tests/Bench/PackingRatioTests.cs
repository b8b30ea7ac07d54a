using GradGuessCluster.Client.Bench;

namespace GradGuessCluster.Client.Tests.Bench;

public class PackingRatioTests
{
    [Fact]
    public void RatioOfMedians_AndPerRoundRatios_AreComputedFromTheEpochTimes()
    {
        // One cell: 1.0, 1.2, 0.8 s/epoch; a pack of 4 in the same rounds: 2.0, 4.0, 3.2 s/epoch.
        var single = Result(1, [1.0, 1.2, 0.8]);
        var pack = Result(4, [2.0, 4.0, 3.2]);
        var r = PackingRatio.Of(single, pack);
        Assert.Equal((4 / 3.2) / (1 / 1.0), r.OfMedians, 12);                         // medians 1.0 and 3.2
        // Rounds: 4·1.0/2.0 = 2.0, 4·1.2/4.0 = 1.2, 4·0.8/3.2 = 1.0.
        Assert.Equal(1.2, r.RoundMedian, 12);
        Assert.Equal(1.0, r.RoundMin, 12);
        Assert.Equal(2.0, r.RoundMax, 12);
    }

    [Fact]
    public void Ceiling_IsThePacksMatmulWorkAtThePeak_AgainstTheMeasuredSingleCell()
    {
        // One cell: 0.5 s/epoch (2 cell-epochs/s). A pack of 4 doing 60 GFLOP an epoch at a 100 GFLOP/s peak would take
        // 0.6 s: 6.67 cell-epochs/s, 3.33× the cell, however slow it was measured.
        var single = Result(1, [0.5, 0.5, 0.5]);
        var pack = Result(4, [3.0, 3.0, 3.0]) with { FlopsPerEpoch = 60e9 };
        var r = PackingRatio.Of(single, pack);
        Assert.Equal(4 / 0.6 / 2, r.Ceiling, 12);
        Assert.Equal(4 / 3.0 / 2, r.OfMedians, 12);
        // A peak half as high halves the ceiling.
        Assert.Equal(r.Ceiling / 2, PackingRatio.Of(single, pack with { PeakGflops = 50 }).Ceiling, 12);
    }

    [Fact]
    public void ConfigurationsTimedInDifferentRounds_AreRefused() =>
        Assert.Throws<ArgumentException>(() => PackingRatio.Of(Result(1, [1.0, 1.0]), Result(4, [2.0])));

    private static TrainingBenchResult Result(int pack, double[] seconds) =>
        new("backprop", 128, pack, seconds, TrainExamples: 60000, FlopsPerEpoch: 1e9, PeakGflops: 100);
}
