using Orleans.Storage;

namespace GradGuessCluster.Grains.Storage;

/// <summary>Options of <see cref="FileGrainStorage"/>: one file per grain state under <see cref="RootDirectory"/>.</summary>
public sealed class FileGrainStorageOptions : IStorageProviderSerializerOptions
{
    public const bool DEFAULT_FLUSH_TO_DISK = false;
    public const int DEFAULT_INIT_STAGE = ServiceLifecycleStage.ApplicationServices;

    /// <summary>Directory that holds every state file (created on start). Required.</summary>
    public string RootDirectory { get; set; } = "";

    /// <summary>fsync each write before the rename, and its directory after it. Off by default: a rename already survives
    /// a killed process; this also survives power loss, at a few milliseconds per write (a directory made for a grain's
    /// first write is not synced into its parent).</summary>
    public bool FlushToDisk { get; set; } = DEFAULT_FLUSH_TO_DISK;

    /// <summary>Remove the temporary files that writes killed mid-way left (<see cref="FileGrainStorage.StaleTempFileAge"/>
    /// old) at start. Off for a host that only reads a directory another process may be writing, without its lock.</summary>
    public bool RemoveStaleTempFiles { get; set; } = true;

    /// <summary>Silo lifecycle stage at which the directory is created.</summary>
    public int InitStage { get; set; } = DEFAULT_INIT_STAGE;

    /// <inheritdoc/>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = default!;
}
