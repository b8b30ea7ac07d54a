namespace GradGuessCluster.Grains.Storage;

/// <summary>A stored grain state is there but cannot be read back (a damaged payload, one written by an incompatible
/// build). No retry changes that, so it is told apart from an outage: readers report it where it is read and leave it
/// as it is, for the user to restore or remove (<see cref="WayOut"/>). The message names where it is stored.</summary>
[GenerateSerializer, Alias("gg.StoredStateCorruptException")]
public class StoredStateCorruptException : Exception
{
    public StoredStateCorruptException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>How to get it out of the way, for hints that go on "..., then resume the sweep".</summary>
    public virtual string WayOut => "delete that entry from the store";
}
