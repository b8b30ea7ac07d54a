using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using GradGuessCluster.Client.Export;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Client.Bench;

/// <summary>Replaces one delimited section of docs/BENCHMARKS.md (or appends it), leaving the other sections alone.</summary>
internal static partial class BenchmarksFile
{
    public const string OutHelp = "Markdown file to update (default: docs/BENCHMARKS.md of the checkout the client runs from, " +
                                  "else ./BENCHMARKS.md; 'none' to skip): a .md file that is new, empty or written by bench " +
                                  "before. Not '-': the report is printed on stdout anyway";

    /// <summary>The file <c>--out</c> names (null for 'none'), checked before the bench runs: a bench takes minutes, and
    /// a path that cannot be written should not cost them.</summary>
    public static string? OutPath(string? option)
    {
        if (option == "none") return null;
        if (option == OutFile.Stdout) throw new UsageException("--out: the report is printed on stdout anyway; name a .md file, or 'none' to write none");
        var path = option ?? DefaultPath();
        OutFile.Check("--out", path);
        CheckMarkdown(path);
        return path;
    }

    /// <summary>A section is added to whatever file --out names: one that is not a benchmarks file (a spec, a state
    /// file, a README) is refused rather than grown a section.</summary>
    private static void CheckMarkdown(string path)
    {
        if (!path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--out: expected a markdown file (.md), got '{path}'");
        if (!Exists(path)) return;
        if (UnixPath.IsSpecialFile(path)) throw new UsageException($"--out: {path} is not a regular file; the bench reads it to replace its section");
        string text;
        try { text = Read(path).Text; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out: cannot read {path} ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)}); the bench reads it to replace its section");
        }
        if (text.Length > 0 && !SectionStart().IsMatch(text))
            throw new UsageException($"--out: {path} holds no section written by gradguess bench; name a new or empty .md file, or one bench wrote");
    }

    /// <summary>The file's text and whether it starts with a UTF-8 byte order mark (kept when it is written again). Bytes
    /// that are not UTF-8 throw <see cref="UsageException"/> naming the first one's offset: decoded as U+FFFD and written
    /// back, they would be lost from sections other than the bench's.</summary>
    private static (string Text, bool Bom) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bool bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble);
        var body = bytes.AsSpan(bom ? Encoding.UTF8.Preamble.Length : 0);
        for (int at = 0; at < body.Length;)
        {
            if (Rune.DecodeFromUtf8(body[at..], out _, out int used) != System.Buffers.OperationStatus.Done)
                throw new UsageException($"--out: {path} is not valid UTF-8 at byte {at + bytes.Length - body.Length}; the bench rewrites " +
                                         "the whole file to replace its section and would garble the rest: fix the file, or name another .md file");
            at += used;
        }
        return (Encoding.UTF8.GetString(body), bom);
    }

    // What a link names, not the link: File.Exists is true for a link to nothing, which is no file to read yet.
    private static bool Exists(string path) => UnixPath.Real(path) is not null;

    // Every bench's section is named "...-bench..." (training-bench, orchestration-bench, startup-bench). A line may end
    // in CRLF: Multiline's $ is only before \n.
    [GeneratedRegex(@"^<!-- [a-z-]*bench[^\n]*:start -->\r?$", RegexOptions.Multiline)]
    private static partial Regex SectionStart();

    // The checkout's own file, whatever the current directory: the bench's record lives in the repository.
    private static string DefaultPath() =>
        CheckoutRoot() is { } root ? Path.Combine(root, "docs", "BENCHMARKS.md") : "BENCHMARKS.md";

    /// <summary>The checkout the client runs from (the folder holding GradGuessCluster.sln), or null outside one.</summary>
    public static string? CheckoutRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GradGuessCluster.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>The commit of the checkout the client was built from (not of the current directory), and whether its
    /// tracked files were changed since: a figure measured on edited sources should not be read as the commit's. The
    /// benchmarks file itself does not count (every bench writes it).</summary>
    public static string CheckoutCommit(string? checkout = null)
    {
        if ((checkout ?? CheckoutRoot()) is not { } root) return "unknown";
        var commit = Git(root, "rev-parse --short HEAD");
        var changes = Git(root, "status --porcelain --untracked-files=no -- . :!docs/BENCHMARKS.md");
        return commit is null ? "unknown"
            : changes is null ? commit + " (uncommitted changes unknown)"
            : changes.Length == 0 ? commit
            : commit + " with uncommitted changes";
    }

    private static string? Git(string root, string arguments)
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", arguments)
                { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root });
            var text = git!.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Replaces (or appends) <paramref name="section"/> of <paramref name="path"/>, holding a lock on the file's
    /// name meanwhile: two benches ending together each read the file, add their section and write it whole, and without
    /// the lock the later write drops the earlier one's section.</summary>
    public static void Upsert(string path, string section, string markdown)
    {
        using var held = LockOf(path);
        Replace(path, section, markdown);
    }

    /// <summary>The lock is a file in the temporary directory named for the file's canonical path (a link to it and its
    /// own name take the same lock), not one beside it: docs/ would show it as an untracked file. Best effort: where the
    /// lock file cannot be opened (another user's) or stays held (a bench stopped while writing holds none: flock ends
    /// with its process), the section is written all the same rather than lost.</summary>
    private static FileLock? LockOf(string path)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(UnixPath.Canonical(LinkedFile(path)))))[..16];
        var lockPath = Path.Combine(Path.GetTempPath(), $"gradguess-bench-{name}.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        try
        {
            while (true)
            {
                if (FileLock.TryAcquire(lockPath) is { } held) return held;
                if (DateTime.UtcNow > deadline) return null;
                Thread.Sleep(20);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The file a link names, followed to its end even where that file does not exist yet (the canonical path
    /// of a dangling link is the link's own, and the first writes through it and by the file's name would lock apart).</summary>
    private static string LinkedFile(string path)
    {
        try { return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path; }
        catch (IOException) { return path; }   // a loop of links: the write that follows says so
    }

    private static void Replace(string path, string section, string markdown)
    {
        string start = $"<!-- {section}:start -->", end = $"<!-- {section}:end -->";
        var (text, bom) = Exists(path) ? Read(path) : ("# Benchmarks\n\nWritten by `./gradguess bench`; each section is replaced when its bench runs again.\n", false);
        // The file's own line endings: a CRLF file (edited on Windows) gets a CRLF section, not lines of both kinds.
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var block = $"{start}\n{markdown.TrimEnd()}\n{end}".Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", newline, StringComparison.Ordinal);
        int i = text.IndexOf(start, StringComparison.Ordinal), j = i < 0 ? -1 : text.IndexOf(end, i + start.Length, StringComparison.Ordinal);
        if (i >= 0 && j >= 0)
            text = text[..i] + block + text[(j + end.Length)..];
        else
        {
            // A start marker without its end after it (a hand edit, a merge) is dropped with the section appended: left, the
            // next run would replace everything from it to this end, other sections between them included.
            if (i >= 0) text = text.Remove(i, start.Length);
            text = text.TrimEnd() + newline + newline + block + newline;
        }
        OutFile.Write(path, stream =>                                              // through a link to the file it names
        {
            if (bom) stream.Write(Encoding.UTF8.Preamble);
            stream.Write(Encoding.UTF8.GetBytes(text));
        });
    }
}
