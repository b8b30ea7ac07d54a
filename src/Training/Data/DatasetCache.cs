using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// One loaded copy of each data set per (source, device) for the whole process, so that many cells training in
/// one silo share their data instead of each holding their own 200 MB–800 MB. Thread-safe: concurrent first
/// requests for the same key load once; a failed load is not cached (the next request retries).
/// Ownership: the cache owns every data set it returns (<see cref="Dataset.IsShared"/> is true and their
/// <c>Dispose</c> is a no-op); callers only read them and never need to dispose them. They live until
/// <see cref="Clear"/>, which is for shutdown and tests, when no trainer is using them; so does the copy of files since
/// replaced (a trainer may still hold it).
/// </summary>
public sealed class DatasetCache
{
    private readonly ConcurrentDictionary<Key, Lazy<Dataset>> _entries = new();

    /// <summary>The process-wide cache.</summary>
    public static DatasetCache Shared { get; } = new();

    /// <summary>Number of data sets held.</summary>
    public int Count => _entries.Count;

    /// <summary>The shared copy of <paramref name="source"/> on <paramref name="device"/> (CPU when null), loading it
    /// on first use. Throws what <see cref="DatasetLoader.Load"/> throws.</summary>
    public Dataset Get(DataSource source, Device? device = null)
    {
        var target = device ?? CPU;
        var key = KeyOf(source, target);
        var entry = _entries.GetOrAdd(key, _ => new Lazy<Dataset>(
            () => DatasetLoader.Load(source, target).MarkShared(), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            _entries.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    /// <summary>Frees every held data set. Only when nothing uses them any more.</summary>
    public void Clear()
    {
        foreach (var key in _entries.Keys)
            if (_entries.TryRemove(key, out var entry) && entry.IsValueCreated)
                entry.Value.Release();
    }

    // Sources that read the same files are the same entry: the directory is resolved, and the synthetic
    // parameters only count for the synthetic set. The files' sizes and times count too: files replaced under a running
    // silo (put right after a sweep refused them) are read again, not served from memory as they were.
    private sealed record Key(string Set, string Directory, string Files, int Train, int Test, int Features, int Seed, string Device);

    private static Key KeyOf(DataSource s, Device device)
    {
        DataLocations.RequireKnown(s.Set);
        var dev = $"{device.type}:{device.index}";
        return s.Set == SyntheticDataset.Name
            ? new Key(s.Set, "", "", s.SyntheticTrain, s.SyntheticTest, s.SyntheticFeatures, s.SyntheticSeed, dev)
            : new Key(s.Set, Path.GetFullPath(DataLocations.DirectoryOf(s)), Stamp(DatasetLoader.FilesOf(s)), 0, 0, 0, 0, dev);
    }

    private static string Stamp(IEnumerable<string> files) => string.Join("|", files.Select(f =>
    {
        var info = new FileInfo(f);
        return $"{f}:{info.Length}:{info.LastWriteTimeUtc.Ticks}";
    }));
}
