using System.Text.Json;
using System.Text.Json.Serialization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Grains.Cells;

/// <summary>
/// Epoch records a pack computed but could not get stored (its coordinator was unreachable, e.g. while every silo
/// stops at once), kept beside the pack's checkpoint. A checkpoint must never be ahead of the stored curve, or the
/// epochs in between would be lost; with these records on disk it may be, and the resumed pack reports them first.
/// Written atomically (temp file + rename) before the checkpoint it covers.
/// </summary>
internal static class UnstoredRecords
{
    private const string Extension = ".unstored.json";

    public static string PathFor(string checkpointPath) => Path.ChangeExtension(checkpointPath, Extension);

    // A diverged cell's record holds a NaN or infinite loss (and cosine): JSON has no such numbers, so they are written
    // as the strings "NaN", "Infinity" and "-Infinity" (by default the serializer refuses them, and the pack failed).
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Write(string path, IReadOnlyList<EpochRecord> records) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, records, Json));

    /// <summary>The records left by an earlier run of this pack (empty when none). A file that does not parse, or holds
    /// records of other cells or impossible epochs, is an <see cref="InvalidDataException"/> naming it; it is kept. One
    /// that cannot be read (EIO, EACCES, a symbolic link loop) is an <see cref="IOException"/> naming it, not "none": its
    /// epochs would be left out of the curve, and the next checkpoint would delete it.</summary>
    public static IReadOnlyList<EpochRecord> Read(string path, PackWork work)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return []; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: unstored epoch records cannot be read: {e.Message}; once they can, resume the sweep", e);
        }
        EpochRecord[]? records;
        try
        {
            records = JsonSerializer.Deserialize<EpochRecord[]>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unstored epoch records do not parse ({e.Message}); {WayOut(path)}", e);
        }
        var cells = work.Cells.Select(c => c.CellId).ToHashSet();
        foreach (var r in records ?? throw new InvalidDataException($"{path}: empty unstored-records file; {WayOut(path)}"))
        {
            if (r is null || !cells.Contains(r.CellId))
                throw new InvalidDataException($"{path}: holds a record of cell '{r?.CellId}', which is not in pack {work.PackId}");
            if (r.Epoch < 1 || r.Epoch > work.Spec.Epochs)
                throw new InvalidDataException($"{path}: record of cell {r.CellId} has epoch {r.Epoch}, outside 1..{work.Spec.Epochs}");
        }
        return records;
    }

    public static void Delete(string path) => File.Delete(path);

    /// <summary>The checkpoint beside these records was written after them, so it alone would leave their epochs out of
    /// the curve: both go, and the pack trains again from epoch 0 (the epochs already stored are ignored).</summary>
    private static string WayOut(string path) =>
        $"move it and the checkpoint beside it ({Path.GetFileName(path)[..^Extension.Length]}{CheckpointFiles.Extension}) away and " +
        "resume the sweep: the pack trains again from epoch 0 and its curve goes on from the epochs stored";
}
