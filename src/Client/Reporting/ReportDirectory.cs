using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Client.Reporting;

/// <summary>
/// The directory <c>report --out DIR</c> writes: built whole in a hidden directory beside it, then renamed into place, so a
/// reader (or a link in a paper's notes) never sees half a report. A new or empty directory takes a report; one that
/// holds an earlier report, and nothing a report does not write, is replaced by the new one; anything else is refused,
/// so a report never deletes what a user put there.
/// </summary>
internal static class ReportDirectory
{
    /// <summary>The first line of every report's README.md: how an earlier report is told from a user's directory.</summary>
    public const string Marker = "<!-- written by `gradguess report`: this directory is replaced whole when the report is written again -->";

    public const string Readme = "README.md";

    /// <summary>Every name a report may write; a directory holding any other is not an earlier report.</summary>
    public static readonly IReadOnlyList<string> Names = [Readme, "spec.yaml", "curves.csv", "results.tex", "rates.tex", "budget.tex", "cost.tex", "comparison.tex", "comparison-rates.tex", "comparison-cost.tex", "curves.png", "loss.png", "rates.png", "cosine.png", "against.png", "time.png"];

    /// <summary>Refuses, as a usage error naming <paramref name="option"/>, a path that cannot take a report; checked before
    /// the sweep is read. Returns the directory a report will replace or create there (its links resolved).</summary>
    /// <param name="stateDirectory">The <c>--state-dir</c> read, if any: a report neither inside it nor around it.</param>
    public static string Check(string option, string path, string? stateDirectory)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{option}: give a directory, not an empty path");
        if (path == "-") throw new UsageException($"{option}: a report is a directory of files, not standard output; name a directory");
        var target = UnixPath.Canonical(path);
        if (stateDirectory is not null && Overlaps(target, UnixPath.Canonical(stateDirectory)))
            throw new UsageException($"{option}: {path} and --state-dir {stateDirectory} overlap; write the report outside the sweep's state");
        if (File.Exists(target)) throw new UsageException($"{option}: {path} is a file; a report is a directory (name a new one)");
        if (Path.GetDirectoryName(target) is not { } parent) throw new UsageException($"{option}: {path} is the root directory; name a new directory");
        if (!Directory.Exists(parent)) throw new UsageException($"{option}: directory {parent} does not exist");
        if (UnixPath.WhyNotWritable(parent) is { } reason) throw new UsageException($"{option}: cannot create a directory in {parent}: {reason}");
        if (Directory.Exists(target) && Foreign(target) is { } foreign)
            throw new UsageException($"{option}: {path} holds {foreign}, which is no report's: name a new or empty directory " +
                                     "(a report replaces only an earlier report)");
        return target;
    }

    /// <summary>Whether <paramref name="directory"/> holds a report (as against nothing, or not a directory).</summary>
    public static bool HoldsReport(string directory) =>
        Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && Foreign(directory) is null;

    /// <summary>Where an incomplete report goes: <paramref name="target"/>, unless that holds an earlier report, which may be
    /// whole and is not replaced by less; then DIR.partial beside it (checked as <paramref name="target"/> was).</summary>
    public static string ForIncomplete(string option, string target, string? stateDirectory) =>
        HoldsReport(target) ? Check(option, target + ".partial", stateDirectory) : target;

    /// <summary>Writes <paramref name="files"/> (name → content) as the directory <paramref name="target"/>, replacing an
    /// earlier report there. Until the last rename the earlier report is in place; a failure leaves it so, and no hidden
    /// directory behind.</summary>
    public static void Write(string target, IReadOnlyList<(string Name, Action<Stream> Write)> files)
    {
        if (files.FirstOrDefault(f => !Names.Contains(f.Name)).Name is { } stray)
            throw new ArgumentException($"a report does not write {stray}", nameof(files));
        var fresh = UnixPath.HiddenSibling(target, $"{Guid.NewGuid():N}.new");
        var old = UnixPath.HiddenSibling(target, $"{Guid.NewGuid():N}.old");
        var replaced = false;
        try
        {
            Directory.CreateDirectory(fresh);
            foreach (var (name, write) in files) AtomicFile.Write(Path.Combine(fresh, name), write);
            // Checked again at the last moment: a user may have put a file there while the sweep was read.
            if (Directory.Exists(target) && Foreign(target) is { } foreign)
                throw new IOException($"{target} now holds {foreign}, which is no report's: the report was not written");
            if (Directory.Exists(target)) Directory.Move(target, old);
            Directory.Move(fresh, target);
            replaced = true;
            DirectorySync.TrySync(Path.GetDirectoryName(target)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!Directory.Exists(target) && Directory.Exists(old)) Directory.Move(old, target);   // put the earlier one back
            var kept = Directory.Exists(old) ? $"; the earlier report is kept in {old}" : "";
            throw new IOException($"cannot write the report {target}: {e.Message}{kept}", e);
        }
        finally
        {
            if (Directory.Exists(fresh)) BestEffort.DeleteDirectory(fresh);
            // Kept where it could not be put back (another process made the name in the meantime): the earlier report
            // is then in the hidden directory, not deleted.
            if (replaced && Directory.Exists(old)) BestEffort.DeleteDirectory(old);
        }
    }

    /// <summary>Whether one of two canonical directories is the other or lies inside it.</summary>
    private static bool Overlaps(string a, string b) => UnixPath.IsWithin(a, b) || UnixPath.IsWithin(b, a);

    /// <summary>The first entry that shows <paramref name="directory"/> holds more than a report (a name a report does not
    /// write, a subdirectory, a README.md without the marker), or null where it is empty or an earlier report.</summary>
    private static string? Foreign(string directory)
    {
        var entries = Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal).ToList();
        if (entries.Count == 0) return null;
        foreach (var entry in entries)
        {
            var name = Path.GetFileName(entry);
            if (!Names.Contains(name) || Directory.Exists(entry)) return name;
        }
        var readme = Path.Combine(directory, Readme);
        if (!File.Exists(readme)) return $"{Path.GetFileName(entries[0])} without a report's {Readme}";
        using var reader = new StreamReader(readme);
        return reader.ReadLine() == Marker ? null : $"a {Readme} that no report wrote";
    }
}
