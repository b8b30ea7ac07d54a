using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Data;

namespace GradGuessCluster.Client.Commands;

/// <summary>What train and doctor refuse in their --data and --data-dir options, in the same words.</summary>
internal static class DataOptionRules
{
    /// <summary>An unknown set, with the nearest known one.</summary>
    public static void RequireKnown(string set)
    {
        if (!DataSource.KnownSets.Contains(set))
            throw new UsageException($"--data: unknown set '{set}' {NearestName.KnownList(set, DataSource.KnownSets)}");
    }

    /// <summary>As a spec's data.dir: synthetic data reads no files, and a directory given for it would be silently ignored.</summary>
    public static void RefuseDirectoryForGenerated(string set, string? directory)
    {
        if (set == SyntheticDataset.Name && directory is not null)
            throw new UsageException("--data-dir: synthetic data is generated, not read from files: leave --data-dir out");
    }
}
