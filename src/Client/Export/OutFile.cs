using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Client.Export;

/// <summary>A file named by <c>--out</c>: written atomically; a missing directory is a usage error, not created.</summary>
internal static class OutFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory)) throw new UsageException($"--out: directory {directory} does not exist");
        if (Directory.Exists(path)) throw new UsageException($"--out: {path} is a directory; name a file");
        AtomicFile.Write(path, write);
    }
}
