using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Tests.Storage;

public sealed class CurveStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gg-curves-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FileGrainStorage _storage;

    public CurveStoreTests() =>
        _storage = new FileGrainStorage("test", new FileGrainStorageOptions { RootDirectory = _root }, new JsonTestSerializer(),
            NullLogger<FileGrainStorage>.Instance);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static EpochRecord Record(int epoch, double loss = 1.0) =>
        new("0123456789abcdef", epoch, loss, 0.5, 0.4, null, null, null, 0.1, 0.01, 100, false);

    private static IEnumerable<EpochRecord> Epochs(int from, int to, double loss = 1.0) =>
        Enumerable.Range(from, to - from + 1).Select(e => Record(e, loss));

    [Fact]
    public async Task Append_ManyEpochs_StoresBoundedChunksAndReadsBackInOrder()
    {
        var store = new CurveStore(_storage, "s");
        for (var e = 1; e <= 150; e += 10) await store.AppendAsync("0123456789abcdef", Epochs(e, Math.Min(e + 9, 150)), 0);

        var all = await store.ReadAllAsync("0123456789abcdef");

        Assert.Equal(Enumerable.Range(1, 150), all.Select(r => r.Epoch));
        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories);
        Assert.Equal(3, files.Length);   // 64 + 64 + 22 epochs: a write never carries more than one chunk
    }

    /// <summary>A curve longer than the epochs the delete is told of (a sweep rebuilt from a spec older than a raise of its
    /// epochs) goes whole: its chunks past that length are found and deleted too.</summary>
    [Fact]
    public async Task Delete_OfACurvePastTheEpochsGiven_DeletesEveryChunk()
    {
        var store = new CurveStore(_storage, "s");
        await store.AppendAsync("0123456789abcdef", Epochs(1, 150), 0);

        Assert.Equal(3, await store.DeleteAsync("0123456789abcdef", epochs: 10));

        Assert.Empty(await store.ReadAllAsync("0123456789abcdef"));
        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Append_EpochsAlreadyStored_AreIgnored()
    {
        var store = new CurveStore(_storage, "s");
        await store.AppendAsync("0123456789abcdef", Epochs(1, 10, loss: 1.0), 0);

        var accepted = await store.AppendAsync("0123456789abcdef", Epochs(5, 12, loss: 2.0), 0);

        Assert.Equal([11, 12], accepted.Select(r => r.Epoch));
        var all = await store.ReadAllAsync("0123456789abcdef");
        Assert.Equal(Enumerable.Range(1, 12), all.Select(r => r.Epoch));
        Assert.All(all.Take(10), r => Assert.Equal(1.0, r.TrainLoss));
    }

    [Theory]
    [InlineData(3)]    // into the open chunk
    [InlineData(66)]   // into the next chunk, past the rest of the open one
    public async Task Append_PastAGap_IsRefusedAndStoresNothing_SoTheCurveStaysWhole(int from)
    {
        var store = new CurveStore(_storage, "s");
        await store.AppendAsync("0123456789abcdef", Epochs(1, 1), 0);

        var refused = await Assert.ThrowsAsync<CurveGapException>(() => store.AppendAsync("0123456789abcdef", Epochs(from, from + 5, loss: 9.0), 0));

        Assert.Contains($"epoch {from}", refused.Message);
        Assert.Equal([1], (await new CurveStore(_storage, "s").ReadAllAsync("0123456789abcdef")).Select(r => r.Epoch));
        // The pack that trains for this curve then fills it from epoch 2 as usual.
        Assert.Equal(Enumerable.Range(2, 69), (await store.AppendAsync("0123456789abcdef", Epochs(2, 70), 0)).Select(r => r.Epoch));
        Assert.Equal(Enumerable.Range(1, 70), (await store.ReadAllAsync("0123456789abcdef")).Select(r => r.Epoch));
        Assert.All(await store.ReadAllAsync("0123456789abcdef"), r => Assert.Equal(1.0, r.TrainLoss));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    [InlineData(100)]
    public async Task Append_AfterReactivationWithAnyHint_ContinuesWithoutDuplicates(int hint)
    {
        await new CurveStore(_storage, "s").AppendAsync("0123456789abcdef", Epochs(1, 130), 0);

        var fresh = new CurveStore(_storage, "s");   // a new coordinator activation
        var accepted = await fresh.AppendAsync("0123456789abcdef", Epochs(120, 140), hint);

        Assert.Equal(Enumerable.Range(131, 10), accepted.Select(r => r.Epoch));
        Assert.Equal(Enumerable.Range(1, 140), (await fresh.ReadAllAsync("0123456789abcdef")).Select(r => r.Epoch));
        Assert.Equal(140, await fresh.LastEpochAsync("0123456789abcdef", 0));
    }

    [Fact]
    public async Task AWriteThatFails_WhileARetryWaits_LeavesTheRetryToStoreTheRecords()
    {
        var failing = new FailNextWrite(_storage);
        var store = new CurveStore(failing, "s");
        await store.AppendAsync("0123456789abcdef", Epochs(1, 5), 0);

        // A report whose write stalls (the pack gives up waiting and sends the same records again), then fails.
        failing.Arm();
        var first = store.AppendAsync("0123456789abcdef", Epochs(6, 8), 0);
        var retry = store.AppendAsync("0123456789abcdef", Epochs(6, 8), 0);   // waits for the first
        failing.Fail();

        await Assert.ThrowsAsync<IOException>(() => first);
        Assert.Equal([6, 7, 8], (await retry).Select(r => r.Epoch));   // stored by the retry, not taken for stored
        Assert.Equal(Enumerable.Range(1, 8), (await new CurveStore(_storage, "s").ReadAllAsync("0123456789abcdef")).Select(r => r.Epoch));
    }

    [Fact]
    public async Task ACurveReadWhileItsChunkFillsAndTheNextBegins_HasNoGap()
    {
        // The writer (a coordinator storing a report, or a local run an offline reader reads beside) stores epochs 64-70
        // while the reader holds chunk 0 read with 63: chunk 0 fills, chunk 1 begins.
        var writer = new CurveStore(_storage, "s");
        await writer.AppendAsync("0123456789abcdef", Epochs(1, 63), 0);
        var reader = new CurveStore(new AfterFirstRead(_storage, () => writer.AppendAsync("0123456789abcdef", Epochs(64, 70), 63)), "s");

        var all = await reader.ReadAllAsync("0123456789abcdef");

        Assert.Equal(Enumerable.Range(1, 70), all.Select(r => r.Epoch));
    }

    /// <summary>Storage that runs <paramref name="then"/> after its first read has returned its state.</summary>
    private sealed class AfterFirstRead(IGrainStorage inner, Func<Task> then) : IGrainStorage
    {
        private int _reads;

        public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            await inner.ReadStateAsync(stateName, grainId, grainState);
            if (Interlocked.Increment(ref _reads) == 1) await then();
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.WriteStateAsync(stateName, grainId, grainState);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ClearStateAsync(stateName, grainId, grainState);
    }

    /// <summary>Storage whose next write, once armed, waits until <see cref="Fail"/> and then fails.</summary>
    private sealed class FailNextWrite(IGrainStorage inner) : IGrainStorage
    {
        private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public void Arm() => _armed = 1;

        public void Fail() => _failed.SetResult();

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                await _failed.Task;
                throw new IOException("disk unplugged");
            }
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
