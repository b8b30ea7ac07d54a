using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Client.Export;

/// <summary>A file named by <c>--out</c> (or another option naming a file to write). A regular or new file is written
/// atomically (a temporary file renamed over it), through a symbolic link to the file it resolves to, so the link stays;
/// a FIFO, a device or a socket is written straight through, never replaced by a file; "-" is stdout where the command
/// allows it. A missing directory is a usage error, not created.</summary>
internal static class OutFile
{
    /// <summary>The name that means standard output.</summary>
    public const string Stdout = "-";

    public static void Write(string path, Action<Stream> write)
    {
        if (IsStdout(path))
        {
            using var stdout = Console.OpenStandardOutput();
            write(stdout);
            return;
        }
        var (target, through) = Resolve("--out", path);
        if (!through)
        {
            AtomicFile.Write(target, write);
            return;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);   // not truncated: a device has no length
        write(stream);
    }

    /// <summary>
    /// Where a result that leaves cells out (their stored curves unreadable) is written: <paramref name="path"/> itself,
    /// unless that names a regular file that exists, which may be a whole export of before the damage and is not
    /// replaced by less: then NAME.partial.EXT beside the file it resolves to (outside the state directory, as it is).
    /// </summary>
    public static string ForIncomplete(string path)
    {
        if (IsStdout(path)) return path;
        var (target, through) = Resolve("--out", path);
        if (through || !File.Exists(target)) return path;
        var name = Path.GetFileNameWithoutExtension(target) + ".partial" + Path.GetExtension(target);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > UnixPath.MaxNameBytes)
            throw new UsageException($"--out: {path} holds an earlier result, which this incomplete one does not replace, and " +
                                     $"'{name}' beside it is too long a name; name another file");
        return Path.Combine(Path.GetDirectoryName(target)!, name);
    }

    /// <summary>Refuses, as a usage error naming <paramref name="option"/>, a path that cannot become a file: one in a
    /// missing directory or where no file can be created, a directory itself, a FIFO or a device this process may not
    /// write, "-" unless <paramref name="allowStdout"/>. Checked before the work whose result it is to hold: a path that
    /// cannot be written should not cost it.</summary>
    public static void Check(string option, string path, bool allowStdout = false)
    {
        if (allowStdout && path == Stdout) return;
        if (IsOwnStdout(path)) return;
        var (target, through) = Resolve(option, path);
        // A file that exists is replaced only where it could be written in place: `>` refuses a read-only one too.
        if (!through && File.Exists(target) && UnixPath.WhyNotWritable(target) is { } readOnly)
            throw new UsageException($"{option}: cannot write {path}: {readOnly}");
        if (!through) Probe(option, target);
        else if (UnixPath.WhyNotWritable(path) is { } reason) throw new UsageException($"{option}: cannot write {path}: {reason}");
    }

    /// <summary>The regular file <paramref name="path"/> names, checked as <see cref="Check"/> checks it, by its one
    /// canonical name (every link resolved): for a file that is read back, replaced and locked (a checkpoint), which a
    /// write through a link's own name would replace the link with, and which two names would lock twice. Standard output,
    /// a FIFO or a device is refused.</summary>
    public static string RegularFile(string option, string path)
    {
        if (IsStdout(path)) throw new UsageException($"{option}: name a file, not standard output");
        var (target, through) = Resolve(option, path);
        if (through) throw new UsageException($"{option}: {path} is not a regular file (a FIFO or a device); name a file");
        Probe(option, target);
        return UnixPath.Canonical(target);
    }

    private static void Probe(string option, string target)
    {
        try { AtomicFile.Probe(target); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: {e.Message}");
        }
    }

    /// <summary>Refuses <c>--out</c> inside a state directory the command reads (given by <paramref name="directoryOption"/>,
    /// null when not given): a file written there could replace one of the sweep's own. Compared with every symbolic
    /// link resolved, on both sides.</summary>
    public static void CheckOutside(string path, string directoryOption, string? directory)
    {
        if (directory is null || IsStdout(path)) return;
        var (target, _) = Resolve("--out", path);
        if (UnixPath.IsWithin(UnixPath.Canonical(target), UnixPath.Canonical(directory)))
            throw new UsageException($"--out: {path} is inside {directoryOption} {directory}, whose files are the sweep's state; write it elsewhere");
    }

    /// <summary>Whether <paramref name="path"/> names a file (one that exists or will be created), not standard output, a
    /// FIFO or a device, whose name says nothing of what it takes.</summary>
    public static bool NamesFile(string path) => !IsStdout(path) && !UnixPath.IsSpecialFile(path);

    /// <summary>"-", or this process's standard output by another name.</summary>
    private static bool IsStdout(string path) => path == Stdout || IsOwnStdout(path);

    /// <summary>Whether <paramref name="path"/> names this process's standard output by another name (or a link to one):
    /// written through the inherited stream, as "-" is. Resolved, the name leads to whatever stdout is redirected to, and
    /// a file there (an append, <c>&gt;&gt; all.csv</c>) would be replaced by a rename or written over from its start.</summary>
    private static bool IsOwnStdout(string path) => !string.IsNullOrWhiteSpace(path) && Descriptor(path) == 1;   // no path: Resolve says so

    /// <summary>The descriptor of this process that <paramref name="path"/> names, itself or through its links
    /// (<c>/dev/stderr</c>, <c>/dev/fd/N</c>, <c>/proc/self/fd/N</c>, a link to one of them); null for any other path.</summary>
    private static int? Descriptor(string path)
    {
        var name = Path.GetFullPath(path);
        for (var hop = 0; hop < 40; hop++)   // the kernel's own limit on a chain of links
        {
            if (DescriptorNamed(name) is { } fd) return fd;
            try
            {
                if (new FileInfo(name).LinkTarget is null) return null;
                name = File.ResolveLinkTarget(name, returnFinalTarget: false)!.FullName;
            }
            catch (IOException) { return null; }   // Resolve says what is wrong with it
        }
        return null;
    }

    private static int? DescriptorNamed(string full)
    {
        switch (full)
        {
            case "/dev/stdin": return 0;
            case "/dev/stdout": return 1;
            case "/dev/stderr": return 2;
        }
        foreach (var directory in (string[])["/dev/fd/", "/proc/self/fd/", $"/proc/{Environment.ProcessId}/fd/"])
            if (full.StartsWith(directory, StringComparison.Ordinal) && int.TryParse(full.AsSpan(directory.Length), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var fd))
                return fd;
        return null;
    }

    /// <summary>Where a write of <paramref name="path"/> goes: the file it names (a symbolic link's final target, which may
    /// not exist yet), and whether it is written straight through (a FIFO, a device, a socket: anything that exists and is
    /// neither a regular file nor a directory).</summary>
    private static (string Target, bool Through) Resolve(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{option}: give a file, not an empty path");
        if (path == Stdout) throw new UsageException($"{option}: '-' (stdout) is not taken here; name a file");
        if (Directory.Exists(path)) throw new UsageException($"{option}: {path} is a directory; name a file");
        // The probe's temporary name is kept short, so it would pass a name that only the final rename refuses.
        if (System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(path)) is var bytes and > UnixPath.MaxNameBytes)
            throw new UsageException($"{option}: the file name is {bytes} bytes long, more than the {UnixPath.MaxNameBytes} a name may have");
        if (UnixPath.IsSocket(path)) throw new UsageException($"{option}: {path} is a socket, which takes no file; name a file");
        // Asked before the link is read: /dev/stdout's chain ends in /proc's "pipe:[N]", which names no file.
        if (UnixPath.IsSpecialFile(path)) return (path, true);
        // Standard error redirected to a file (2>> err.log): the name leads to that file, which a rename would replace.
        if (Descriptor(path) is { } fd)
            throw new UsageException($"{option}: {path} leads to file descriptor {fd} of this process, which is redirected to a file " +
                                     "that writing here would replace; name a file");
        var full = Path.GetFullPath(path);
        string target;
        try { target = new FileInfo(full).LinkTarget is null ? full : File.ResolveLinkTarget(full, returnFinalTarget: true)!.FullName; }
        catch (IOException e) { throw new UsageException($"{option}: {path}: {e.Message}"); }   // a loop of links
        var directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
            throw new UsageException(target == full
                ? $"{option}: directory {directory} does not exist"
                : $"{option}: {path} is a symbolic link to {target}, whose directory does not exist");
        return (target, false);
    }
}
