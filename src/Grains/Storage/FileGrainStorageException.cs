namespace GradGuessCluster.Grains.Storage;

/// <summary>A state file could not be read or written; the message names the file.</summary>
[GenerateSerializer, Alias("gg.FileGrainStorageException")]
public sealed class FileGrainStorageException : Exception
{
    public FileGrainStorageException(string message, Exception? inner = null) : base(message, inner) { }
}
