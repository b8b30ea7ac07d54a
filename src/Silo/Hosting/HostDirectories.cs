namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// The one check of a directory the product writes (a host's state and checkpoint directories, a download's target), run
/// before anything starts. Left to the storage providers, a bad one surfaced as a raw .NET message with a stack trace, or not at all
/// until the first checkpoint failed.
/// </summary>
public static class HostDirectories
{
    /// <summary>Creates <paramref name="directory"/> when missing and proves it writable, or throws
    /// <see cref="HostDirectoryException"/> "<paramref name="option"/> DIR: reason".</summary>
    public static void EnsureWritable(string option, string directory)
    {
        var full = Path.GetFullPath(directory);
        if (Problem(full) is { } reason) throw new HostDirectoryException($"{option} {full}: {reason}");
    }

    private static string? Problem(string directory)
    {
        if (File.Exists(directory)) return "is a file";
        for (var parent = Path.GetDirectoryName(directory); parent is not null; parent = Path.GetDirectoryName(parent))
            if (File.Exists(parent)) return $"a parent is a file ({parent})";
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "cannot create: " + Reason(e);
        }
        try
        {
            // A probe file rather than permission bits: read-only mounts, ACLs and root all answer truthfully.
            var probe = Path.Combine(directory, $".gradguess-probe-{Guid.NewGuid():N}");
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "not writable";
        }
        return null;
    }

    /// <summary>mkdir's words for the errors .NET reports as a missing file (ENOENT, e.g. under /proc) or no access.</summary>
    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message.TrimEnd('.'),
    };
}
