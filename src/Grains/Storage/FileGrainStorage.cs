using System.Security.Cryptography;
using System.Text;
using GradGuessCluster.Training.IO;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Storage;

/// <summary>
/// Grain storage in files: one file per (grain, state name) under <see cref="FileGrainStorageOptions.RootDirectory"/>,
/// holding a header line with the ETag and a checksum of the rest, then the serialized state. Writes go to a temporary file that is renamed
/// over the old one, so a reader (or a killed process) sees the old state or the new one, never half of one. ETags are
/// checked under a lock shared by every store of the process (in-process test clusters share one directory), not across
/// processes: one silo's own (the silo holds a lock on its state directory, and refuses file storage beside Redis or
/// PostgreSQL clustering); clusters of several silos use Redis or ADO.NET under the same name.
/// </summary>
public sealed partial class FileGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    // The header is "gradguess-state 1 <etag> <checksum>\n". Files of builds before the checksum have none and are read
    // as they are. A build of before reads a checksum as part of the ETag, consistently, so it can still read and
    // write these files (its header window, Magic.Length + 64 bytes, holds the whole line).
    private const string Magic = "gradguess-state 1 ";
    private static readonly object[] Locks = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();

    private readonly string _name;
    private readonly FileGrainStorageOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly ILogger<FileGrainStorage> _logger;
    // Creating a state's directory against pruning empty ones; static as the locks above, for the silos of one process
    // that share a directory (a test cluster's): one silo's prune could remove the directory another had just made.
    private static readonly object Directories = new();

    public FileGrainStorage(string name, FileGrainStorageOptions options, IGrainStorageSerializer serializer, ILogger<FileGrainStorage> logger)
    {
        _name = name;
        _options = options;
        _serializer = options.GrainStorageSerializer ?? serializer;
        _logger = logger;
    }

    public string RootDirectory => _options.RootDirectory;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(FileGrainStorage)}-{_name}", _options.InitStage, (CancellationToken ct) =>
        {
            Directory.CreateDirectory(_options.RootDirectory);
            LogStarted(_name, Path.GetFullPath(_options.RootDirectory));
            if (_options.RemoveStaleTempFiles && RemoveStaleTempFiles(_options.RootDirectory, DateTime.UtcNow - StaleTempFileAge) is > 0 and var stale)
                LogRemovedTempFiles(_name, stale);
            return Task.CompletedTask;
        });

    // Each operation runs its small synchronous file calls on the thread pool: grains never wait on the disk on their
    // scheduler's threads, and writes to different keys (different directories) overlap.
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Task.Run(() => Read(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialized here, in the caller's turn: a reentrant grain goes on changing its state while the file is written,
        // and serializing that on another thread could tear the snapshot or throw "collection was modified".
        ReadOnlyMemory<byte> payload;
        try
        {
            payload = _serializer.Serialize(grainState.State).ToMemory();
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
        return Task.Run(() => Write(stateName, grainId, grainState, payload.Span));
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Task.Run(() => Clear(stateName, grainId, grainState));

    private void Read<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        var stored = ReadFile(path, headerOnly: false);
        if (stored is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        // A flipped byte that still parses (a digit of an accuracy, an epoch count) would otherwise be taken as the state.
        if (stored.Value.Checksum is { } checksum && checksum != Checksum(stored.Value.Payload))
            throw new StateFileCorruptException($"state file {path} is corrupt: its contents do not match its checksum");
        T? state;
        try
        {
            state = _serializer.Deserialize<T>(new BinaryData(stored.Value.Payload));
        }
        catch (Exception e)
        {
            throw new StateFileCorruptException($"state file {path} could not be deserialized as {typeof(T).Name}: {e.Message}", e);
        }
        // The JSON serializer reads an empty payload (a file cut off after its header) or "null" as no state: no write
        // stores that, and taken as the state it would fail its grain with a NullReferenceException naming no file.
        grainState.State = state ?? throw new StateFileCorruptException($"state file {path} is corrupt: it holds no state after its header (cut short?)");
        grainState.ETag = stored.Value.ETag;
        grainState.RecordExists = true;
    }

    private void Write<T>(string stateName, GrainId grainId, IGrainState<T> grainState, ReadOnlySpan<byte> payload)
    {
        var path = PathOf(stateName, grainId);
        var etag = Guid.NewGuid().ToString("N");
        lock (LockFor(path))
        {
            CheckETag(path, grainState.ETag, stateName, grainId);
            var temp = $"{path}.{etag}.tmp";
            try
            {
                FileStream created;
                lock (Directories)   // a clear pruning empty directories cannot remove this one before the temp file is in it
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    created = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
                }
                using (var file = created)
                {
                    file.Write(Encoding.ASCII.GetBytes(Header(etag, Checksum(payload))));
                    file.Write(payload);
                    if (_options.FlushToDisk) file.Flush(flushToDisk: true);
                }
                File.Move(temp, path, overwrite: true);
                // The new name too. The write has landed whatever this says: a failure (a file system that cannot sync a
                // directory) is logged, not reported as a failed write, which would leave the grain a stale ETag.
                if (_options.FlushToDisk && DirectorySync.TrySync(Path.GetDirectoryName(path)!) is { } notSynced)
                    LogDirectoryNotSynced(_name, notSynced);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                BestEffort.Delete(temp);
                // Without the temp file's name (.NET appends it to the reason): the message is shown as status's problem,
                // and a name new with every retry would make it a new problem each time.
                var reason = e.Message.Replace($" : '{temp}'", "", StringComparison.Ordinal);
                throw new FileGrainStorageException($"cannot write state file {path}: {reason}", e);
            }
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    private void Clear<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        lock (LockFor(path))
        {
            CheckETag(path, grainState.ETag, stateName, grainId);
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FileGrainStorageException($"cannot delete state file {path}: {e.Message}", e);
            }
        }
        PruneEmptyDirectories(Path.GetDirectoryName(path)!, StateFileNames.TypeDirectory(_options.RootDirectory, grainId.Type.ToString()!));
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>Keys with '/' get nested directories (a deleted sweep's <c>gg-curve/SWEEP/CELL/</c>): remove those left
    /// empty, up to the grain type's directory. Best effort: a directory that is not empty, or in use, stays.</summary>
    private void PruneEmptyDirectories(string directory, string stopAt)
    {
        lock (Directories)
        {
            try
            {
                for (var d = directory; d.Length > stopAt.Length && d.StartsWith(stopAt, StringComparison.Ordinal); d = Path.GetDirectoryName(d)!)
                {
                    if (Directory.EnumerateFileSystemEntries(d).Any()) return;
                    Directory.Delete(d);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private string PathOf(string stateName, GrainId grainId) =>
        StateFileNames.PathFor(_options.RootDirectory, grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);

    private void CheckETag(string path, string? expected, string stateName, GrainId grainId)
    {
        var stored = ReadFile(path, headerOnly: true)?.ETag;
        if (stored != expected)
            throw new InconsistentStateException(
                $"ETag mismatch writing {stateName} of {grainId} in storage '{_name}' ({path}): stored {stored ?? "none"}, expected {expected ?? "none"}",
                stored ?? "", expected ?? "");
    }

    /// <summary>64 bits of the payload's SHA-256, in hex: damage, not tampering, is what it is for.</summary>
    private static string Header(string etag, string checksum) => $"{Magic}{etag} {checksum}\n";

    /// <summary>The bytes each state file holds beside its serialized state (its header line).</summary>
    public static int HeaderBytes { get; } = Header(Guid.Empty.ToString("N"), Checksum([])).Length;

    private static string Checksum(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload))[..16];

    /// <summary>The file's ETag, checksum (null in files written before there was one) and payload (empty with
    /// <paramref name="headerOnly"/>); null when absent.</summary>
    private static (string ETag, string? Checksum, byte[] Payload)? ReadFile(string path, bool headerOnly)
    {
        byte[] bytes;
        try
        {
            if (headerOnly)
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
                bytes = new byte[Magic.Length + 64];
                bytes = bytes[..file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false)];
            }
            else
            {
                bytes = File.ReadAllBytes(path);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // A directory not made yet: no record. A file where a directory belongs (ENOTDIR reads as the same exception)
            // is not an empty state: read as one, a grain would start afresh and its first write replace what it had.
            if (NotADirectory(Path.GetDirectoryName(path)!) is { } file)
                throw new FileGrainStorageException($"cannot read state file {path}: {file} is a file, not a directory", e);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileGrainStorageException($"cannot read state file {path}: {e.Message}", e);
        }
        var newline = Array.IndexOf(bytes, (byte)'\n');
        var header = newline < 0 ? "" : Encoding.ASCII.GetString(bytes, 0, newline);
        if (!header.StartsWith(Magic, StringComparison.Ordinal) || header.Length == Magic.Length)
            throw new StateFileCorruptException($"state file {path} is corrupt: missing '{Magic.Trim()}' header");
        var rest = header[Magic.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        return (space < 0 ? rest : rest[..space], space < 0 ? null : rest[(space + 1)..], headerOnly ? [] : bytes[(newline + 1)..]);
    }

    /// <summary>The nearest of <paramref name="directory"/> and its ancestors that exists, when it is not a directory.</summary>
    private static string? NotADirectory(string? directory)
    {
        for (var d = directory; !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
        {
            if (Directory.Exists(d)) return null;
            if (File.Exists(d)) return d;
        }
        return null;
    }

    private static object LockFor(string path) => Locks[(int)((uint)StringComparer.Ordinal.GetHashCode(path) % Locks.Length)];

    /// <summary>A write's temporary file lives for milliseconds; one this old was left by a killed process.</summary>
    public static readonly TimeSpan StaleTempFileAge = TimeSpan.FromMinutes(10);

    /// <summary>Removes temporary files last written before <paramref name="before"/>: a process killed mid-write leaves
    /// its one behind, never read, and it would keep a deleted sweep's directory from going. By age, not all: another
    /// process (a second silo, an offline reader) may be writing beside this one now. Returns how many went.</summary>
    public static int RemoveStaleTempFiles(string root, DateTime before)
    {
        return Directory.EnumerateFiles(root, "*.tmp", SearchOption.AllDirectories)
            .Where(file => File.GetLastWriteTimeUtc(file) < before).ToList().Count(BestEffort.Delete);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "File grain storage {Name} at {Directory}")]
    private partial void LogStarted(string name, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File grain storage {Name}: a write's directory was not synced to disk ({Reason}); the write stands, but a power cut may undo it")]
    private partial void LogDirectoryNotSynced(string name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "File grain storage {Name}: removed {Count} temporary file(s) that killed writes left behind")]
    private partial void LogRemovedTempFiles(string name, int count);
}
