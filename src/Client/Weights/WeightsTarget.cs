using GradGuessCluster.Client.Export;
using GradGuessCluster.Training.Weights;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Client.Weights;

/// <summary>The formats <c>weights</c> writes.</summary>
internal enum WeightsFormat { Safetensors, Npz }

/// <summary>
/// Where <c>weights --out</c> writes: a file named FILE.safetensors or FILE.npz takes one cell; any other path is a
/// directory (made if missing, its parent must exist) taking a file per cell, each named for its cell and written
/// atomically, replacing a file of that name (the same cell written before) and leaving every other file alone.
/// </summary>
internal sealed record WeightsTarget(string Path, bool IsFile, WeightsFormat Format)
{
    public string Extension => Format == WeightsFormat.Npz ? NpzFile.Extension : SafetensorsFile.Extension;

    /// <summary>Checks <paramref name="path"/> before any checkpoint is read, and outside the directory read
    /// (<paramref name="directory"/>, given as <paramref name="directoryOption"/>: a state or checkpoint directory).</summary>
    public static WeightsTarget Of(string path, string? format, string? directoryOption, string? directory)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException("--out: give a file (.safetensors or .npz) or a directory, not an empty path");
        if (path == OutFile.Stdout) throw new UsageException("--out: weights are binary files; name a file or a directory, not standard output");
        var named = FormatOfName(path);
        var given = format is null ? (WeightsFormat?)null : ParseFormat(format);
        if (named is { } n && given is { } g && n != g)
            throw new UsageException($"--format {format} and --out {path} disagree: name the file .{format}, or leave --format out");
        if (named is { } fileFormat)
        {
            if (Directory.Exists(path)) throw new UsageException($"--out: {path} is a directory; name a file, or the directory without an extension");
            OutFile.CheckOutside(path, directoryOption ?? "", directory);
            OutFile.Check("--out", path);
            return new WeightsTarget(path, IsFile: true, fileFormat);
        }
        if (File.Exists(path) || UnixPath.IsSpecialFile(path))
            throw new UsageException($"--out: {path} is a file but not .safetensors or .npz; name such a file, or a directory for a file per cell");
        if (directory is not null && UnixPath.IsWithin(UnixPath.Canonical(path), UnixPath.Canonical(directory)))
            throw new UsageException($"--out: {path} is inside {directoryOption} {directory}, whose files are the sweep's state; write it elsewhere");
        var parent = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path.TrimEnd('/')));
        if (!Directory.Exists(path) && (parent is null || !Directory.Exists(parent)))
            throw new UsageException($"--out: directory {parent ?? path} does not exist");
        var writable = Directory.Exists(path) ? path : parent!;
        if (UnixPath.WhyNotWritable(writable) is { } reason) throw new UsageException($"--out: cannot write in {writable}: {reason}");
        return new WeightsTarget(path, IsFile: false, given ?? WeightsFormat.Safetensors);
    }

    /// <summary>Writes one cell's file: the target itself, or STEM.EXT in the target directory.</summary>
    public string Write(string stem, IReadOnlyList<NamedArray> arrays, IReadOnlyDictionary<string, string> metadata)
    {
        string file = Path;
        if (!IsFile)
        {
            Directory.CreateDirectory(Path);
            file = System.IO.Path.Combine(Path, stem + Extension);
        }
        Action<Stream> write = Format == WeightsFormat.Npz
            ? s => NpzFile.Write(s, arrays, metadata)
            : s => SafetensorsFile.Write(s, arrays, metadata);
        if (IsFile) OutFile.Write(file, write);
        else AtomicFile.Write(file, write);
        return file;
    }

    private static WeightsFormat? FormatOfName(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        SafetensorsFile.Extension => WeightsFormat.Safetensors,
        NpzFile.Extension => WeightsFormat.Npz,
        _ => null,
    };

    private static WeightsFormat ParseFormat(string format) => format switch
    {
        "safetensors" => WeightsFormat.Safetensors,
        "npz" => WeightsFormat.Npz,
        _ => throw new UsageException($"--format: expected safetensors or npz, got '{format}'"),
    };
}
