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
        // Rounds: a claim this host accepts can be taken back meanwhile by the host that made it (Unclaim), and is then
        // made again by this one, under its mark.
        var marked = false;
        for (var round = 0; round < MaxRounds; round++)
        {
            if (!File.Exists(path))
            {
                // A claim its host is taking back is aside, not gone: until that host has looked for a mark and put the
                // claim back or dropped it, a host that took the gap for a free directory could claim it for another store.
                if (SettleTakenBack(checkpointDirectory, path, accepted)) continue;
                // Without a claim nobody trains under one: a mark left from an earlier claim (removed by hand) is stale.
                // Once this host has marked, the mark is its own, and keeps the claim it makes again.
                if (!marked) BestEffort.Delete(accepted);
                if (TryCreate(path, owner))
                {
                    created = !marked;
                    return null;
                }
            }
            string held;
            try { held = File.ReadAllText(path).Trim(); }
            catch (FileNotFoundException) { continue; }   // taken back between the look and the read
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"cannot read {path}: {e.Message}"; }
            if (held != owner && !SameFileStore(held, owner, checkpointDirectory))
                return $"it holds the checkpoints of another store's sweeps ({held}; this host's: {owner}, per {path}), which this host's " +
                       "packs would delete as they start; give this host a checkpoint directory of its own, or remove that file if its store is gone for good";
            // A file store's directory has one host (its state directory is locked): only shared stores mark acceptance.
            if (owner.StartsWith(FilePrefix, StringComparison.Ordinal) || File.Exists(accepted)) return null;
            Step("read");
            try { File.WriteAllText(accepted, ""); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }   // a read-only share: nothing is unclaimed there
            marked = true;
            Step("marked");
            // Looked for again in the next round: Unclaim moves the claim aside before it looks for this mark, so either it
            // sees the mark and puts the claim back, or the claim is gone by now and the next round makes it again.
        }
        return $"cannot keep a claim in {path}: it was taken back {MaxRounds} times while this host accepted it (hosts of one " +
               "store whose starts keep failing); start this host again once they have started";
    }

    /// <summary>Removes the claim a host made (best effort), unless another host has accepted it.</summary>
    public static void Unclaim(string checkpointDirectory)
    {
        var path = Path.Combine(checkpointDirectory, FileName);
        var accepted = Path.Combine(checkpointDirectory, AcceptedName);
        if (File.Exists(accepted)) return;
        Step("checked");
        // Moved aside, then the mark looked for again: a host accepting the claim meanwhile writes its mark and then looks
        // for the claim (Claim), so one of the two sees the other's step, and no claim is gone under a host training.
        var aside = UnixPath.HiddenSibling(path, $"{Guid.NewGuid():N}{AsideTail}");
        try { File.Move(path, aside); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }   // none, or not this host's to move
        Step("aside");
        try
        {
            if (File.Exists(accepted)) PutBack(aside, path);
        }
        finally { BestEffort.Delete(aside); }
    }

    private const string AsideTail = ".unclaimed";

    /// <summary>Claims moved aside by <see cref="Unclaim"/>, its own or left by a host that died half way: each is put back
    /// where a host accepted it (true: look again), dropped where none did. Dropping is safe even as the unclaiming host
    /// looks: a host that accepts the claim marks before it looks for the claim, so a mark made after this look finds the
    /// claim gone and makes it again (or meets this host's).</summary>
    private static bool SettleTakenBack(string checkpointDirectory, string path, string accepted)
    {
        string[] asides;
        try { asides = Directory.GetFiles(checkpointDirectory, Path.GetFileName(UnixPath.HiddenSibling(path, "*" + AsideTail))); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        if (asides.Length == 0) return false;
        if (!File.Exists(accepted))
        {
            foreach (var aside in asides) BestEffort.Delete(aside);
            return false;
        }
        foreach (var aside in asides)
        {
            PutBack(aside, path);
            if (File.Exists(path)) BestEffort.Delete(aside);   // the claim stands again: a dead host's copy is not left behind
        }
        return true;
    }

    private static void PutBack(string aside, string path)
    {
        try
        {
            if (UnixPath.TryLink(aside, path) is null) File.Move(aside, path, overwrite: false);
        }
        catch (IOException) { }   // made again meanwhile (by a host that accepted it), or put back by another: that one stands
    }

    private const int MaxRounds = 5;

    /// <summary>Writes the claim under a name of its own, then links it to the claim's: created whole or not at all, so two
    /// hosts starting at once cannot both win (nor one read the other's half-written file). False where one exists.</summary>
    private static bool TryCreate(string path, string owner)
    {
        var temp = UnixPath.HiddenSibling(path, $"{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, owner + "\n");
            switch (UnixPath.TryLink(temp, path))
            {
                case true:
                    return true;
                case null:   // no hard links here: a rename that replaces nothing, whose race of two first starts is left to chance
                    File.Move(temp, path, overwrite: false);
                    return true;
                default:
                    return false;
            }
        }
        catch (IOException) when (File.Exists(path)) { return false; }   // another host came first: read whose it is
        finally { BestEffort.Delete(temp); }
    }

    /// <summary>Where tests run another host's step: in the places these races are decided, in this flow only.</summary>
    internal static readonly AsyncLocal<Action<string>?> Interleave = new();

    private static void Step(string name) => Interleave.Value?.Invoke(name);

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
