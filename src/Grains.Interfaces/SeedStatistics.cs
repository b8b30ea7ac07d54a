namespace GradGuessCluster.Grains.Interfaces;

/// <summary>How far a quantity varies over a sweep's seeds: one formula for the results table's ± and the plots' bands.</summary>
public static class SeedStatistics
{
    /// <summary>Sample standard deviation (n − 1); null for fewer than two values.</summary>
    public static double? SampleStandardDeviation(IReadOnlyCollection<double> values)
    {
        if (values.Count < 2) return null;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
