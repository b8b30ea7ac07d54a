namespace GradGuessCluster.Training.IO;

/// <summary>Writes a file through a temporary sibling and a rename, so a reader never sees half of it and a failed
/// write leaves the old file as it was (and no temporary file behind). The file and then its directory are synced, so a
/// write that returned survives a power cut (a checkpoint lost so would make its pack train again from an older one).</summary>
public static class AtomicFile
{
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>, not the
    /// temporary file ("cannot write PATH: reason"). A missing directory is not created here.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temp = TempPath(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                write(stream);
            // On disk before the rename, so a power cut cannot leave the name over an empty file. Opened again: a writer
            // may have closed the stream. (What is written this way is written rarely: checkpoints once an epoch, records a
            // checkpoint depends on, exports, bench results.)
            using (var written = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
                written.Flush(flushToDisk: true);
            // The file it replaces keeps its mode: a results file made private (0600) stays so. Set last, as a
            // read-only mode would refuse the reopening above.
            if (!OperatingSystem.IsWindows() && File.Exists(full)) File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
            File.Move(temp, full, overwrite: true);
            // The new name too. The file is in place whatever this says: a file system that cannot sync a directory
            // keeps the rename undurable as before, not the write failed.
            DirectorySync.TrySync(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e.Message.Contains(temp, StringComparison.Ordinal))
        {
            // .NET names the temporary file, which the caller never chose: name theirs, with the reason in words. The
            // type stays, for callers that tell a missing path from a busy volume (the silo's retry policy).
            throw Renamed(e, $"cannot write {path}: {Reason(e, temp, full)}");
        }
        finally
        {
            BestEffort.Delete(temp);   // a failed removal (the volume gone read-only) must not hide why the write failed
        }
    }

    /// <summary>Whether a file can be created beside <paramref name="path"/>, as <see cref="Write"/> will: one is created
    /// and deleted, so that a command learns it before hours of work rather than after.</summary>
    /// <exception cref="IOException">As from <see cref="Write"/>, naming <paramref name="path"/>.</exception>
    public static void Probe(string path)
    {
        try { Write(path, _ => throw new ProbedException()); }
        catch (ProbedException) { }
    }

    // Thrown from inside Write once its temporary file exists: Write deletes it and leaves the path alone.
    private sealed class ProbedException : Exception;

    // Short enough whatever the name's length: ".{name}.{guid}.tmp" would pass the 255-byte limit on a legal 200-byte name.
    private static string TempPath(string full) => UnixPath.HiddenSibling(full, $"{Guid.NewGuid():N}.tmp");

    /// <summary>Removes the temporary files that writes of <paramref name="path"/> left behind when their process was
    /// killed mid-write (never read, each as large as the file), last written before <paramref name="writtenBefore"/>
    /// where given: only a caller that alone writes the path may take them all. Best effort; returns how many went.</summary>
    public static int RemoveLeftovers(string path, DateTime? writtenBefore = null)
    {
        var full = Path.GetFullPath(path);
        // The name a write would take, its 32 hex digits cut off: what every temporary file of this path starts with.
        var sample = Path.GetFileName(UnixPath.HiddenSibling(full, $"{Guid.Empty:N}.tmp"));
        return LeftoverFiles.Remove(Path.GetDirectoryName(full)!, sample[..^"00000000000000000000000000000000.tmp".Length], ".tmp", writtenBefore);
    }

    private static Exception Renamed(Exception e, string message) => e switch
    {
        UnauthorizedAccessException => new UnauthorizedAccessException(message, e),
        FileNotFoundException => new FileNotFoundException(message, e),
        DirectoryNotFoundException => new DirectoryNotFoundException(message, e),
        PathTooLongException => new PathTooLongException(message, e),
        _ => new IOException(message, e),
    };

    private static string Reason(Exception e, string temp, string full) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => $"cannot create a file in {Path.GetDirectoryName(full)}",
        PathTooLongException => "the name is too long",
        _ => e.Message.Replace(temp, full, StringComparison.Ordinal),
    };

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream);
            writer.Write(text);
        });
}
