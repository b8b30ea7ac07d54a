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
    public void ConfigurationsTimedInDifferentRounds_AreRefused() =>
        Assert.Throws<ArgumentException>(() => PackingRatio.Of(Result(1, [1.0, 1.0]), Result(4, [2.0])));

    private static TrainingBenchResult Result(int pack, double[] seconds) =>
        new("backprop", 128, pack, seconds, TrainExamples: 60000, FlopsPerEpoch: 1e9, PeakGflops: 100);
}
