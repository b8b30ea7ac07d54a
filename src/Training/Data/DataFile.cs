using System.IO.Compression;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// Reading data files with errors that name the file: opens raw or gzipped files (detected by the gzip magic,
/// not by the name), reads exact byte counts, and turns I/O and corrupt-gzip failures into
/// <see cref="DataFormatException"/>.
/// </summary>
internal static class DataFile
{
    /// <summary>Opens <paramref name="path"/>; the stream yields the decompressed bytes when the file is gzipped.</summary>
    public static Stream Open(string path, out bool gzipped)
    {
        var file = OpenRaw(path);
        Span<byte> magic = stackalloc byte[2];
        int got;
        try { got = ReadUpTo(file, magic, path); }
        catch { file.Dispose(); throw; }
        file.Position = 0;
        gzipped = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        return gzipped ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    public static FileStream OpenRaw(string path)
    {
        ThrowIfSpecial(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFormatException(path, "file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "cannot be read: " + e.Message, e);
        }
    }

    /// <summary>Refuses a FIFO, device or socket as a data file before it is opened: opening a FIFO to read waits for a
    /// writer, for ever where none comes, and none of them holds a data set.</summary>
    public static void ThrowIfSpecial(string path)
    {
        if (UnixPath.IsSpecialFile(path))
            throw new DataFormatException(path, "not a regular file (a FIFO, device or socket): give the data file itself");
    }

    /// <summary>Fills <paramref name="buffer"/> as far as the stream allows; returns the bytes read.</summary>
    public static int ReadUpTo(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, "corrupt gzip stream: " + e.Message, e);
        }
        catch (IOException e)
        {
            throw new DataFormatException(path, "read failed: " + e.Message, e);
        }
    }

    /// <summary>What <paramref name="read"/> returns from a file it reads whole (a hash); an I/O failure (EIO, a file on a
    /// volume gone away) throws <see cref="DataFormatException"/> naming <paramref name="path"/>.</summary>
    public static T ReadWhole<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (IOException e)
        {
            throw new DataFormatException(path, "read failed: " + e.Message, e);
        }
    }

    /// <summary>Where no file is at <paramref name="path"/>: a <see cref="DataFormatException"/> that says so, or, where a
    /// directory has the file's name, says that (which File.Exists reads as missing), or, where a directory on the way
    /// may not be searched by this user, names that directory as unreadable (File.Exists reads EACCES as missing too, and
    /// <paramref name="missing"/>'s advice to download the set again would not help); null where a file is there.</summary>
    public static DataFormatException? NotAFile(string path, string missing) =>
        NotAFile(path, missing, UnixPath.WhyNotReadable, UnixPath.WhyNotSearchable);

    /// <summary><see cref="NotAFile(string, string)"/> asking access(2) through <paramref name="whyNotReadable"/> and
    /// <paramref name="whyNotSearchable"/> (<see cref="UnixPath"/>'s), which tests answer for a user who is not root.</summary>
    internal static DataFormatException? NotAFile(string path, string missing,
        Func<string, string?> whyNotReadable, Func<string, string?> whyNotSearchable)
    {
        if (File.Exists(path)) return null;
        if (Directory.Exists(path)) return new DataFormatException(path, "is a directory, not a file");
        if (whyNotReadable(path) != UnixPath.PermissionDenied) return new DataFormatException(path, missing);
        // The shallowest directory this user may not search hides the rest; where none is, the file came since, unreadable.
        var full = Path.GetFullPath(path);
        var denied = Ancestors(full).FirstOrDefault(dir => whyNotSearchable(dir) == UnixPath.PermissionDenied);
        return denied is null
            ? new DataFormatException(path, $"cannot be read: {UnixPath.PermissionDenied}")
            : new DataFormatException(denied, $"cannot be read: {UnixPath.PermissionDenied} (on the way to {path})");
    }

    /// <summary>The directories above <paramref name="fullPath"/>, the root first.</summary>
    private static IEnumerable<string> Ancestors(string fullPath)
    {
        var chain = new Stack<string>();
        for (var dir = Path.GetDirectoryName(fullPath); dir is not null; dir = Path.GetDirectoryName(dir)) chain.Push(dir);
        return chain;
    }

    /// <summary>Counts (and discards) what is left in the stream: anything after the expected payload is an error.</summary>
    public static long CountRemaining(Stream stream, string path)
    {
        var scratch = new byte[1 << 16];
        long total = 0;
        int got;
        while ((got = ReadUpTo(stream, scratch, path)) > 0) total += got;
        return total;
    }
}
