using System.Formats.Tar;
using System.IO.Compression;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Data.Download;

/// <summary>
/// Unpacks the regular files of a .tar.gz archive into a directory. Every file is written to a temporary name and
/// renamed, so a reader never sees half a file; entries that would land outside the directory are refused; links
/// and device entries are skipped.
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
                    File.Move(temp, target, overwrite: true);
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
}
