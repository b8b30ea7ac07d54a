namespace GradGuessCluster.Grains.Storage;

/// <summary>A state file could not be read or written; the message names the file.</summary>
[GenerateSerializer, Alias("gg.FileGrainStorageException")]
public class FileGrainStorageException : Exception
{
    public FileGrainStorageException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A state file is there but unreadable (no header, or a payload that does not deserialize). It is left as it
/// is: the user can restore it from a backup or delete the sweep's state.</summary>
[GenerateSerializer, Alias("gg.StateFileCorruptException")]
public sealed class StateFileCorruptException : StoredStateCorruptException
{
    public StateFileCorruptException(string message, Exception? inner = null) : base(message, inner) { }

    public override string WayOut => "move that file away";
}
