using System.IO.Compression;
using System.Security.Cryptography;

namespace GradGuessCluster.Training.Data.Download;

/// <summary>MD5 of files (integrity against the published checksums, not security).</summary>
public static class FileChecksum
{
    /// <summary>Lower-case hex MD5 of the file's bytes.</summary>
    public static string Md5(string path)
    {
        using var stream = DataFile.OpenRaw(path);
        return DataFile.ReadWhole(path, () => Convert.ToHexStringLower(MD5.HashData(stream)));
    }

    /// <summary>Lower-case hex MD5 of a gzipped file's decompressed content; a corrupt stream throws
    /// <see cref="DataFormatException"/> naming the file.</summary>
    public static string GunzippedMd5(string path)
    {
        using var file = DataFile.OpenRaw(path);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        try
        {
            return Convert.ToHexStringLower(MD5.HashData(gz));
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, "corrupt gzip stream: " + e.Message, e);
        }
    }

    /// <summary>True when the file at <paramref name="path"/> is the published <paramref name="file"/>:
    /// same bytes, or (when the catalog knows it) the same decompressed content.</summary>
    public static bool Matches(string path, RemoteFile file) =>
        File.Exists(path) && (Md5(path) == file.Md5 || SameContent(path, file));

    /// <summary>True when a gzipped file decompresses to the published content (a re-compressed copy, such as
    /// Debian's Fashion-MNIST files or a mirror of them); false when the catalog has no content MD5.</summary>
    public static bool SameContent(string path, RemoteFile file)
    {
        if (file.ContentMd5 is null) return false;
        try
        {
            return GunzippedMd5(path) == file.ContentMd5;
        }
        catch (DataFormatException)
        {
            return false;
        }
    }
}
