namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Helpers over <see cref="EpochRecord"/>.</summary>
public static class EpochRecords
{
    /// <summary>An epoch whose accuracies count: evaluated, and not the epoch a cell diverged in (NaN weights score about
    /// chance). The points a cell's final and best accuracies are read from, by results and by diagnostics.</summary>
    public static bool IsScored(this EpochRecord record) => record.TrainAccuracy is not null && !record.Diverged;
}
