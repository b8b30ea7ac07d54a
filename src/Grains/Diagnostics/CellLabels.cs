using System.Globalization;

namespace GradGuessCluster.Grains.Diagnostics;

/// <summary>The labels of a per-cell series. Bounded by the sweep's grid, so cardinality stays that of the grid.</summary>
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
}
