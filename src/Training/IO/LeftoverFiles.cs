namespace GradGuessCluster.Training.IO;

/// <summary>Files a killed process left beside the one it was writing, named <c>PREFIX + 32 lower-case hex digits +
/// SUFFIX</c> (a Guid in "N" form): temporary files of atomic writes, parts of downloads.</summary>
public static class LeftoverFiles
{
    /// <summary>Removes those in <paramref name="directory"/> last written before <paramref name="writtenBefore"/> where
    /// given (only a caller that alone writes them may take them all). Best effort; returns how many went. Matched here,
    /// not by a search pattern: a name may hold '*' or '?', which a pattern takes as wildcards, and then another file's
    /// leftovers (one being written now) would match.</summary>
    public static int Remove(string directory, string prefix, string suffix, DateTime? writtenBefore = null)
    {
        if (!Directory.Exists(directory)) return 0;
        int length = prefix.Length + 32 + suffix.Length;
        return Directory.EnumerateFiles(directory)
            .Where(f => Path.GetFileName(f) is var name && name.Length == length && name.StartsWith(prefix, StringComparison.Ordinal)
                        && name.EndsWith(suffix, StringComparison.Ordinal) && name[prefix.Length..^suffix.Length].All(char.IsAsciiHexDigitLower))
            .Where(f => writtenBefore is not { } before || File.GetLastWriteTimeUtc(f) < before)
            .ToList().Count(BestEffort.Delete);
    }
}
