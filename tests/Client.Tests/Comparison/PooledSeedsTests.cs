using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Comparison;

/// <summary>A confirmation's pooled scores: each rate both sweeps scored, its mean and spread over all their seeds, as
/// computed from the raw seeds' scores directly; and which pairs of sweeps pool at all.</summary>
public sealed class PooledSeedsTests
{
    private static RateScore Summary(double lr, IReadOnlyCollection<double> seeds) =>
        new(lr, RateOutcome.Scored, seeds.Average(), SeedStatistics.SampleStandardDeviation(seeds));

    private static double Std(IReadOnlyCollection<double> xs) =>
        Math.Sqrt(xs.Sum(x => (x - xs.Average()) * (x - xs.Average())) / (xs.Count - 1));

    [Theory]
    [InlineData(new[] { 0.80, 0.84 }, new[] { 0.86, 0.90, 0.82 })]
    [InlineData(new[] { 0.7123 }, new[] { 0.70, 0.69 })]                // a sweep of one seed: no spread of its own
    [InlineData(new[] { 0.5, 0.5, 0.5 }, new[] { 0.5 })]                // all alike: no spread at all
    public void APooledRate_IsTheMeanAndSampleSpreadOfAllTheSeeds(double[] a, double[] b)
    {
        var pooled = PooledRow.Pool(Summary(1e-3, a), a.Length, Summary(1e-3, b), b.Length);

        double[] all = [.. a, .. b];
        Assert.Equal(all.Average(), pooled.Score!.Value, 12);
        Assert.Equal(Std(all), pooled.ScoreStd!.Value, 12);
        Assert.Equal((1e-3, RateOutcome.Scored), (pooled.LearningRate, pooled.Outcome));
    }

    [Fact]
    public void ARow_PoolsOnlyTheRatesBothScored_AndItsBestIsTheBestPooledMean()
    {
        // A's seed favours 1e-2, B's two favour 1e-3 by more: pooled, 1e-3 wins. 1e-4 diverged in B; 1e-1 only A trains.
        RateScore[] a = [Summary(1e-1, [0.3]), Summary(1e-2, [0.82]), Summary(1e-3, [0.81]), Summary(1e-4, [0.6])];
        RateScore[] b = [Summary(1e-2, [0.78, 0.80]), Summary(1e-3, [0.84, 0.86]), new(1e-4, RateOutcome.Diverged)];

        var row = PooledRow.Of("wt", "adamw", a, b, 1, 2);

        Assert.Equal([1e-2, 1e-3], row.Rates.Select(r => r.LearningRate));
        Assert.Equal(1e-3, row.BestLearningRate);
        Assert.Equal((0.82 + 0.78 + 0.80) / 3, row.Rates[0].Score!.Value, 12);
        Assert.Equal(Std([0.81, 0.84, 0.86]), row.Rates[1].ScoreStd!.Value, 12);
        Assert.Null(PooledRow.Of("wt", "sgd", [Summary(1e-2, [0.5])], [new(1e-2, RateOutcome.Pending)], 1, 2).BestLearningRate);
    }

    [Fact]
    public void OnlySweepsApartInSeedsAndRates_OnTheSameData_Pool()
    {
        SweepSpec Spec(string name, int seed, int epochs = 5) => new(name, new DataSpec("synthetic"), new ModelSpec(), ["wt"], ["adamw"],
            [1e-2, 1e-3], [seed], epochs);
        ResultRow Row(params RateScore[] rates) => new("wt", "adamw", 1e-2, 0.8, 0.8, false, 2, 2, null, Rates: rates);
        SweepResults Results(string name, ResultRow row) => new(name, SweepState.Completed, new SelectionSpec(), [row]);
        var scored = Row(Summary(1e-2, [0.8]), Summary(1e-3, [0.7]));

        var confirmation = SweepComparison.Of(Spec("a", 0), Results("a", scored), Spec("b", 1), Results("b", scored));
        Assert.Equal((1, 1), (confirmation.Pool!.A, confirmation.Pool.B));
        Assert.Equal(1e-2, confirmation.Pool.Rows.Single().BestLearningRate);

        // The same seed again is no larger sample; other epochs are another experiment; silos of an older build answer
        // without per-rate scores.
        Assert.Null(SweepComparison.Of(Spec("a", 0), Results("a", scored), Spec("b", 0), Results("b", scored)).Pool);
        Assert.Null(SweepComparison.Of(Spec("a", 0), Results("a", scored), Spec("b", 1, epochs: 9), Results("b", scored)).Pool);
        Assert.Null(SweepComparison.Of(Spec("a", 0), Results("a", scored), Spec("b", 1), Results("b", scored with { Rates = null })).Pool);
    }
}
