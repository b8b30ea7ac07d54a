namespace GradGuessCluster.Client.Bench;

/// <summary>
/// Cell-epochs per second of a pack against one cell. <see cref="OfMedians"/> compares the two medians; the per-round
/// ratios compare each timed round's pack epoch with the single-cell epoch of that round (run back to back), so the machine's
/// drift between rounds cancels and their spread shows how far one figure can be trusted.
/// </summary>
/// <param name="Ceiling">The ratio the pack would reach if its epoch cost nothing but its matmul FLOPs at the matmul peak
/// (its own rounds' median) against the single cell as measured, so a ratio short of a target is told apart from a target
/// out of reach. Not a strict bound: small matmuls that stay in cache can run a little above the peak's large matmul.</param>
internal sealed record PackingRatio(double OfMedians, double RoundMedian, double RoundMin, double RoundMax, double Ceiling)
{
    public static PackingRatio Of(TrainingBenchResult single, TrainingBenchResult pack)
    {
        if (single.EpochSeconds.Count != pack.EpochSeconds.Count)
            throw new ArgumentException("the two configurations were not timed in the same rounds");
        var rounds = single.EpochSeconds.Zip(pack.EpochSeconds, (s, p) => pack.PackSize * s / (single.PackSize * p)).ToArray();
        double packAtPeakSeconds = pack.FlopsPerEpoch / (pack.PeakGflops * 1e9);
        double ceiling = pack.PackSize / packAtPeakSeconds / single.CellEpochsPerSecond;
        return new PackingRatio(pack.CellEpochsPerSecond / single.CellEpochsPerSecond, Stats.Median(rounds), rounds.Min(), rounds.Max(), ceiling);
    }
}
