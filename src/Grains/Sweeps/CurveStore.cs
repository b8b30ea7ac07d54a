using GradGuessCluster.Grains.Interfaces.Contracts;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// A sweep's curves, stored through the sweep's <see cref="IGrainStorage"/> (any provider) in chunks of
/// <see cref="ChunkSize"/> epochs per cell. Each append rewrites only the cell's latest chunk, and records at or below
/// the stored last epoch are dropped, so every (cell, epoch) is stored once; records that would leave a gap are
/// refused, so every stored curve runs from epoch 1 without one, and none are stored after a diverged one. Keeps each
/// running cell's latest chunk in memory. Used by one coordinator activation (the single writer); safe under its
/// reentrant interleaving.
/// </summary>
public sealed class CurveStore(IGrainStorage storage, string sweep)
{
    public const int ChunkSize = 64;
    public const string StateName = "curve";
    public const string ChunkTypeName = "gg-curve";
    private static readonly GrainType ChunkType = GrainType.Create(ChunkTypeName);

    private readonly Dictionary<string, Task<OpenChunk>> _open = new();

    /// <summary>Stores the records above the cell's last stored epoch; returns those it stored, in epoch order. Throws
    /// <see cref="CurveGapException"/>, storing nothing, when they would leave a gap.</summary>
    /// <param name="epochHint">An epoch known to be stored (or 0); saves reads when the cell's chunk is not cached.</param>
    public async Task<IReadOnlyList<EpochRecord>> AppendAsync(string cellId, IEnumerable<EpochRecord> records, int epochHint)
    {
        while (true)
        {
            var task = OpenAsync(cellId, epochHint);
            var open = await task;
            await open.Gate.WaitAsync();
            try
            {
                // A write that failed while this call waited left that chunk's memory ahead of storage: read it again, or
                // this call would take its records for stored (a pack retrying a report that timed out would drop them).
                if (open.Stale) continue;
                return await AppendOpenAsync(cellId, open, records);
            }
            catch
            {
                open.Stale = true;   // memory may be ahead of storage: this call's retry and those waiting read it again
                if (_open.TryGetValue(cellId, out var cached) && cached == task) _open.Remove(cellId);
                throw;
            }
            finally
            {
                open.Gate.Release();
            }
        }
    }

    private async Task<IReadOnlyList<EpochRecord>> AppendOpenAsync(string cellId, OpenChunk open, IEnumerable<EpochRecord> records)
    {
        // A curve ends at its divergence. The cell's end reaches the ledger later than its record reaches this store, so a
        // pack resumed from a checkpoint before it (its silo lost meanwhile) may train the cell on: on a GPU the re-run
        // need not diverge, and its epochs stored after the NaN one would make the cell complete with that NaN mid-curve.
        if (open.Latest is { Diverged: true }) return [];
        var fresh = records.Where(r => r.Epoch > open.LastEpoch).DistinctBy(r => r.Epoch).OrderBy(r => r.Epoch).ToList();
        if (fresh.FindIndex(r => r.Diverged) is var end and >= 0) fresh.RemoveRange(end + 1, fresh.Count - end - 1);
        // A pack reports from its checkpoint, which never runs ahead of the stored curve, so a gap means the stored
        // curve read short (storage trouble) or the pack trains for something else. Stored, the records would make
        // the epochs below them count as stored; refused, the pack keeps them and reports them again.
        for (var i = 0; i < fresh.Count; i++)
            if (fresh[i].Epoch != open.LastEpoch + 1 + i) throw new CurveGapException(sweep, cellId, fresh[i].Epoch, open.LastEpoch + i);
        var accepted = new List<EpochRecord>();
        foreach (var record in fresh)
        {
            var index = (record.Epoch - 1) / ChunkSize;
            if (index != open.Index)
            {
                if (accepted.Count > 0) await WriteAsync(cellId, open);
                open.Index = index;
                open.State = new GrainState<CurveChunkState>(new CurveChunkState());
            }
            open.State.State!.Records.Add(record);
            if (record.TrainAccuracy is not null) open.LastEvaluated = record;
            accepted.Add(record);
        }
        if (accepted.Count > 0) await WriteAsync(cellId, open);
        return accepted;
    }

    /// <summary>The cell's last stored epoch (0 when none).</summary>
    public async Task<int> LastEpochAsync(string cellId, int epochHint) => (await OpenAsync(cellId, epochHint)).LastEpoch;

    /// <summary>The cell's latest stored record if its chunk is in memory.</summary>
    public EpochRecord? CachedLatest(string cellId) => Cached(cellId)?.Latest;

    /// <summary>The cell's latest stored record with accuracies (an evaluated epoch) if its chunk is in memory: with
    /// <c>evaluateEvery</c> above 1 the latest record has none on most epochs. Null too where the evaluated one is in an
    /// earlier chunk than the one read at activation.</summary>
    public EpochRecord? CachedLatestEvaluated(string cellId) => Cached(cellId)?.LastEvaluated;

    private OpenChunk? Cached(string cellId) => _open.TryGetValue(cellId, out var task) && task.IsCompletedSuccessfully ? task.Result : null;

    /// <summary>Every stored record of the cell, in epoch order. Safe beside appends: the coordinator reads curves between
    /// its reports' awaits, and an offline reader reads the files a running <c>local</c> writes.</summary>
    public async Task<List<EpochRecord>> ReadAllAsync(string cellId)
    {
        var records = new List<EpochRecord>();
        var chunk = await ReadAsync(cellId, 0);
        for (var index = 0; chunk.RecordExists; index++)
        {
            var next = await ReadAsync(cellId, index + 1);
            // A chunk read short, with the next one there by now, filled up while it was read (an append writes a chunk
            // full before it begins the next): taken as read, the curve would miss the epochs in between.
            if (next.RecordExists && chunk.State!.Records.Count < ChunkSize) chunk = await ReadAsync(cellId, index);
            records.AddRange(chunk.State!.Records);
            chunk = next;
        }
        return records;
    }

    /// <summary>Deletes the cell's stored curve of at least <paramref name="epochs"/> epochs' chunks (more where chunks
    /// follow them: a sweep rebuilt from a spec older than a raise of its epochs holds curves past its own end), last chunk
    /// first, and past gaps (a chunk file the user moved away): an interrupted delete leaves a shorter curve, never chunks
    /// behind a gap that a later append would collide with. Returns the number of chunks deleted.</summary>
    public async Task<int> DeleteAsync(string cellId, int epochs)
    {
        _open.Remove(cellId);
        var deleted = 0;
        var last = Math.Max(0, (epochs - 1) / ChunkSize);
        while ((await ReadAsync(cellId, last + 1)).RecordExists) last++;
        for (var index = last; index >= 0; index--)
        {
            var chunk = await ReadAsync(cellId, index);
            if (!chunk.RecordExists) continue;
            await storage.ClearStateAsync(StateName, ChunkId(cellId, index), chunk);
            deleted++;
        }
        return deleted;
    }

    /// <summary>Drops the cell's cached chunk (its curve is complete).</summary>
    public void Forget(string cellId) => _open.Remove(cellId);

    private Task<OpenChunk> OpenAsync(string cellId, int epochHint)
    {
        if (_open.TryGetValue(cellId, out var task) && !task.IsFaulted) return task;
        task = LoadAsync(cellId, epochHint);
        _open[cellId] = task;
        return task;
    }

    private async Task<OpenChunk> LoadAsync(string cellId, int epochHint)
    {
        var index = Math.Max(0, (epochHint - 1) / ChunkSize);
        var state = await ReadAsync(cellId, index);
        while (index > 0 && !state.RecordExists) state = await ReadAsync(cellId, --index);   // a hint past the data
        while (state.RecordExists && state.State!.Records.Count >= ChunkSize)
        {
            var next = await ReadAsync(cellId, index + 1);
            if (!next.RecordExists) break;
            (index, state) = (index + 1, next);
        }
        return new OpenChunk { Index = index, State = state, LastEvaluated = state.State?.Records.LastOrDefault(r => r.TrainAccuracy is not null) };
    }

    private async Task<GrainState<CurveChunkState>> ReadAsync(string cellId, int index)
    {
        var state = new GrainState<CurveChunkState>(new CurveChunkState());
        await storage.ReadStateAsync(StateName, ChunkId(cellId, index), state);
        state.State ??= new CurveChunkState();
        return state;
    }

    private Task WriteAsync(string cellId, OpenChunk open) => storage.WriteStateAsync(StateName, ChunkId(cellId, open.Index), open.State);

    private GrainId ChunkId(string cellId, int index) => GrainId.Create(ChunkType, $"{sweep}/{cellId}/{index}");

    private sealed class OpenChunk
    {
        public required int Index { get; set; }
        public required GrainState<CurveChunkState> State { get; set; }
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public bool Stale { get; set; }
        public EpochRecord? Latest => State.State!.Records.Count > 0 ? State.State.Records[^1] : null;
        public EpochRecord? LastEvaluated { get; set; }   // kept when the next chunk opens
        public int LastEpoch => Latest?.Epoch ?? Index * ChunkSize;
    }
}
