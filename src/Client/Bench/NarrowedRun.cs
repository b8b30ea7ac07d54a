using GradGuessCluster.Client.Rendering;

namespace GradGuessCluster.Client.Bench;

/// <summary>The docs/BENCHMARKS.md section a bench run writes: the record's own (<paramref name="Kind"/>) for a run as
/// the record is measured, else one named for what the run narrowed, so that a quick run (10 cells, one timed run)
/// never replaces the record, and only the same narrowing replaces its own section.</summary>
internal sealed record NarrowedRun(string Kind, IReadOnlyList<string> Narrowed)
{
    public bool IsFull => Narrowed.Count == 0;

    public string Section => IsFull ? Kind : $"{Kind} narrowed: {Description}";

    /// <summary>The report's line on what was left out, or null for a full run.</summary>
    public string? Note => IsFull ? null : $"Narrowed run ({Description}): written beside the full record, which it does not replace.";

    /// <summary>The markdown with <see cref="Note"/> after it.</summary>
    public string WithNote(string markdown) => Note is { } note ? markdown.TrimEnd() + "\n\n" + note + "\n" : markdown;

    /// <summary>What the command says once the section is written.</summary>
    public string Wrote(string path) => $"wrote {path} (section {Section}{(IsFull ? "" : "; the full record is left as it was")})";

    /// <summary>Writes <paramref name="markdown"/> as this run's section of <paramref name="outPath"/> and says so on
    /// stderr; nothing without --out.</summary>
    public void SaveTo(string? outPath, string markdown)
    {
        if (outPath is null) return;
        BenchmarksFile.Upsert(outPath, Section, markdown);
        Output.Info(Wrote(outPath));
    }

    private string Description => string.Join("; ", Narrowed);
}
