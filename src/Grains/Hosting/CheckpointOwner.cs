using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Grains.Hosting;

/// <summary>
/// Which store's sweeps a checkpoint directory holds, kept in its <c>.store</c> file by the first host that trains there.
/// Checkpoints are named by sweep, pack and incarnation only, and a pack's start deletes its files of other incarnations:
/// two stores' sweeps of one name in one directory (a <c>local</c> and a Redis silo started in the same folder, two
/// services on one volume) would each delete the other's checkpoints. A host of another store is refused instead.
/// </summary>
public static class CheckpointOwner
{
    public const string FileName = ".store";

    /// <summary>Made by a host that finds the claim there and trains under it: the host that wrote the claim, should its
    /// own start fail, leaves it then (Redis or PostgreSQL silos of one service share the directory). A file, not a file
    /// time: any host that may write checkpoints there may make it, and no clock or time granularity decides.</summary>
    public const string AcceptedName = ".store.accepted";

    /// <summary>The owner of file storage in <paramref name="grainStateDirectory"/>: that directory relative to the
    /// checkpoint directory, so that moving the two together keeps them a pair; both with their links resolved, so that
    /// two state directories whose <c>checkpoints</c> link to one directory do not both read as <c>../state</c>.</summary>
    public static string FileStore(string checkpointDirectory, string grainStateDirectory) =>
        FilePrefix + Path.GetRelativePath(UnixPath.Canonical(checkpointDirectory), UnixPath.Canonical(grainStateDirectory));

    private const string FilePrefix = "file ";

    /// <summary>The owner of a shared store (Redis or PostgreSQL): its kind and service id, part of every stored key.</summary>
    public static string SharedStore(string kind, string serviceId) => $"{kind} service {serviceId}";

    /// <summary>Takes <paramref name="checkpointDirectory"/> for <paramref name="owner"/> where no store has it yet, and
    /// says why not where another has (null: it is this owner's).</summary>
    public static string? Claim(string checkpointDirectory, string owner) => Claim(checkpointDirectory, owner, out _);

    /// <param name="created">Whether this call wrote the claim (the directory had none): a host whose start then fails
    /// takes it back (<see cref="Unclaim"/>), so that its next start, with its store put right, is not refused as another.</param>
    public static string? Claim(string checkpointDirectory, string owner, out bool created)
    {
        created = false;
        var path = Path.Combine(checkpointDirectory, FileName);
        var accepted = Path.Combine(checkpointDirectory, AcceptedName);
        if (!File.Exists(path))
        {
            // Without a claim nobody trains under one: a mark left from an earlier claim (removed by hand) is stale.
            BestEffort.Delete(accepted);
            // Written under a name of its own, then linked to the file's: created whole or not at all, so two hosts
            // starting at once cannot both win (nor one read the other's half-written file).
            var temp = UnixPath.HiddenSibling(path, $"{Guid.NewGuid():N}.tmp");
            try
            {
                File.WriteAllText(temp, owner + "\n");
                switch (UnixPath.TryLink(temp, path))
                {
                    case true:
                        created = true;
                        return null;
                    case null:   // no hard links here: a rename that replaces nothing, whose race of two first starts is left to chance
                        File.Move(temp, path, overwrite: false);
                        created = true;
                        return null;
                }
            }
            catch (IOException) when (File.Exists(path)) { }   // another host came first: read whose it is
            finally { BestEffort.Delete(temp); }
        }
        string held;
        try { held = File.ReadAllText(path).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"cannot read {path}: {e.Message}"; }
        if (held == owner || SameFileStore(held, owner, checkpointDirectory))
        {
            // A file store's directory has one host (its state directory is locked): only shared stores mark acceptance.
            if (!owner.StartsWith(FilePrefix, StringComparison.Ordinal) && !File.Exists(accepted))
                try { File.WriteAllText(accepted, ""); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }   // a read-only share: nothing is unclaimed there
            return null;
        }
        return $"it holds the checkpoints of another store's sweeps ({held}; this host's: {owner}, per {path}), which this host's " +
              "packs would delete as they start; give this host a checkpoint directory of its own, or remove that file if its store is gone for good";
    }

    /// <summary>Removes the claim a host made (best effort), unless another host has accepted it since.</summary>
    public static void Unclaim(string checkpointDirectory)
    {
        if (!File.Exists(Path.Combine(checkpointDirectory, AcceptedName))) BestEffort.Delete(Path.Combine(checkpointDirectory, FileName));
    }

    /// <summary>A file store's claim written before links were resolved (by path, as the user named the directories): the
    /// state directory it names there is this host's. Such a claim cannot tell two state directories whose checkpoints
    /// link to one directory apart; the claims written since can.</summary>
    private static bool SameFileStore(string held, string owner, string checkpointDirectory)
    {
        if (!held.StartsWith(FilePrefix, StringComparison.Ordinal) || !owner.StartsWith(FilePrefix, StringComparison.Ordinal)) return false;
        var ours = UnixPath.Canonical(Path.Combine(UnixPath.Canonical(checkpointDirectory), owner[FilePrefix.Length..]));
        return UnixPath.Canonical(Path.Combine(Path.GetFullPath(checkpointDirectory), held[FilePrefix.Length..])) == ours;
    }
}
