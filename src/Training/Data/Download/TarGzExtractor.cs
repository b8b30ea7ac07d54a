using System.Formats.Tar;
using System.IO.Compression;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Data.Download;

/// <summary>
/// Unpacks the regular files of a .tar.gz archive into a directory. Every file is written to a temporary name and
/// renamed, so a reader never sees half a file; entries that would land outside the directory are refused; links
/// and device entries are skipped. A file already there with the entry's bytes is kept; one with other bytes is
/// refused, never overwritten.
/// </summary>
internal static class TarGzExtractor
{
    /// <summary>Returns the relative paths of the files written.</summary>
    public static IReadOnlyList<string> Extract(string archive, string directory, CancellationToken ct)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));   // "dir/" must not become "dir//"
        var inside = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        var written = new List<string>();
        using var file = DataFile.OpenRaw(archive);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        try
        {
            using var tar = new TarReader(gz);
            while (tar.GetNextEntry() is { } entry)
            {
                ct.ThrowIfCancellationRequested();
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                var name = entry.Name.Replace('\\', '/');
                while (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
                var target = Path.GetFullPath(Path.Combine(root, name));
                if (name.Length == 0 || !target.StartsWith(inside, StringComparison.Ordinal))
                    throw new DataFormatException(archive, $"entry '{entry.Name}' would be written outside {root}");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                // A name of its own: a second download into the same directory must not write into (or delete) this one's.
                var temp = $"{target}.{Guid.NewGuid():N}.part";
                DatasetDownloader.RemoveStaleParts(target);   // an unpacking killed mid-file left its part, as a download does
                try
                {
                    entry.ExtractToFile(temp, overwrite: false);
                    Place(archive, temp, target);
                }
                finally
                {
                    BestEffort.Delete(temp);   // no-op after the rename; a failed write leaves nothing behind, or says why it failed
                }
                written.Add(name);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new DataFormatException(archive, "corrupt .tar.gz archive: " + e.Message, e);
        }
        return written;
    }

    private static void Place(string archive, string temp, string target)
    {
        try
        {
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target) || Directory.Exists(target))
        {
            if (File.Exists(target) && SameBytes(temp, target)) return;   // the temporary copy goes in the caller's finally
            throw new DataFormatException(target, $"is there already and is not what {Path.GetFileName(archive)} holds under " +
                "that name; nothing was overwritten: download into another --dir, or move it away");
        }
    }

    private static bool SameBytes(string a, string b)
    {
        using var x = DataFile.OpenRaw(a);
        using var y = DataFile.OpenRaw(b);
        if (x.Length != y.Length) return false;
        var bx = new byte[1 << 16];
        var by = new byte[1 << 16];
        int got;
        while ((got = DataFile.ReadUpTo(x, bx, a)) > 0)
            if (DataFile.ReadUpTo(y, by.AsSpan(0, got), b) != got || !bx.AsSpan(0, got).SequenceEqual(by.AsSpan(0, got)))
                return false;
        return true;
    }
}
