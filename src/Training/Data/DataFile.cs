using System.IO.Compression;

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
    /// directory has the file's name, says that (which File.Exists reads as missing); null where a file is there.</summary>
    public static DataFormatException? NotAFile(string path, string missing) =>
        File.Exists(path) ? null
        : Directory.Exists(path) ? new DataFormatException(path, "is a directory, not a file")
        : new DataFormatException(path, missing);

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
