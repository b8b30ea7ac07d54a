using System.Globalization;

namespace GradGuessCluster.Grains.Diagnostics;

/// <summary>The labels of a per-cell series: the grid's size per sweep. Counters and histograms use only the group's
/// labels (<see cref="ToGroupTags"/>), since their series are never forgotten.</summary>
public readonly record struct CellLabels(string Sweep, string Method, string Optimizer, double LearningRate, int Seed)
{
    public KeyValuePair<string, object?>[] ToTags() =>
    [
        new("sweep", Sweep),
        new("method", Method),
        new("optimizer", Optimizer),
        new("lr", LearningRate.ToString("G", CultureInfo.InvariantCulture)),
        new("seed", Seed.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>Sweep, method and optimizer: the groups the dashboard's rates and percentiles are drawn by.</summary>
    public KeyValuePair<string, object?>[] ToGroupTags() => [new("sweep", Sweep), new("method", Method), new("optimizer", Optimizer)];
}
