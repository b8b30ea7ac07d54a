using Orleans.Runtime;

namespace GradGuessCluster.Grains.Storage;

/// <summary>Fails silo start when a file store has no directory.</summary>
public sealed class FileGrainStorageOptionsValidator(FileGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
            throw new OrleansConfigurationException(
                $"Invalid {nameof(FileGrainStorageOptions)} for storage '{name}': {nameof(FileGrainStorageOptions.RootDirectory)} is required.");
    }
}
