using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Client.Export;

/// <summary>A file named by <c>--out</c> (or another option naming a file to write): written atomically; a missing
/// directory is a usage error, not created.</summary>
internal static class OutFile
{
    public static void Write(string path, Action<Stream> write)
    {
        Check("--out", path);
        AtomicFile.Write(path, write);
    }

    /// <summary>Refuses, as a usage error naming <paramref name="option"/>, a path that cannot become a file: one in a
    /// missing directory, or a directory itself.</summary>
    public static void Check(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{option}: give a file, not an empty path");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory)) throw new UsageException($"{option}: directory {directory} does not exist");
        if (Directory.Exists(path)) throw new UsageException($"{option}: {path} is a directory; name a file");
    }
}
