using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Client.Bench;

/// <summary>Replaces one delimited section of docs/BENCHMARKS.md (or appends it), leaving the other sections alone.</summary>
internal static class BenchmarksFile
{
    public static void Upsert(string path, string section, string markdown)
    {
        string start = $"<!-- {section}:start -->", end = $"<!-- {section}:end -->";
        var block = $"{start}\n{markdown.TrimEnd()}\n{end}";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\nWritten by `./gradguess bench`; each section is replaced when its bench runs again.\n";
        int i = text.IndexOf(start, StringComparison.Ordinal), j = text.IndexOf(end, StringComparison.Ordinal);
        text = i >= 0 && j > i
            ? text[..i] + block + text[(j + end.Length)..]
            : text.TrimEnd() + "\n\n" + block + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, text);
    }
}
