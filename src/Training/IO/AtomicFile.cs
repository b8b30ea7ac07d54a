namespace GradGuessCluster.Training.IO;

/// <summary>Writes a file through a temporary sibling and a rename, so a reader never sees half of it and a failed
/// write leaves the old file as it was (and no temporary file behind).</summary>
public static class AtomicFile
{
    /// <exception cref="DirectoryNotFoundException">The file's directory does not exist (it is not created here).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                write(stream);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream);
            writer.Write(text);
        });
}
