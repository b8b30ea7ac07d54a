using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Silo.Hosting;
using GradGuessCluster.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Persistence.Redis;
using Orleans.Runtime;
using Orleans.Storage;
using Polly;

namespace GradGuessCluster.Client.Tests.Silo;

/// <summary>The storage wrapper tells a stored state that does not deserialize, however the provider reports it, from
/// an outage: the one becomes a <see cref="StoredStateCorruptException"/> at once, the other is retried and left as it is.
/// (End to end on real stores: CorruptStoredStateEndToEndTests.)</summary>
public sealed class ResilientGrainStorageTests
{
    private static readonly GrainId Pack = GrainId.Create("gg-training", "s/p1");

    /// <summary>A provider whose reads throw what it is given, counting them.</summary>
    private sealed class FailingStorage(Func<Exception> failure) : IGrainStorage
    {
        public int Reads { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Reads++;
            return Task.FromException(failure());
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }

    /// <summary>A provider that serializes a write's state only once its connection is open, as Orleans' ADO.NET one does
    /// (in its command's parameter callback, after an await that leaves the grain's scheduler).</summary>
    private sealed class LateSerializingStorage : IGrainStorage
    {
        public TaskCompletionSource ConnectionOpen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string? Payload { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            await ConnectionOpen.Task;
            Payload = System.Text.Json.JsonSerializer.Serialize(grainState.State);
            (grainState.ETag, grainState.RecordExists) = ("2", true);
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }

    [Fact]
    public async Task AWriteItsProviderSerializesLate_StoresTheStateAsItWasWhenTheWriteBegan()
    {
        // The coordinator is reentrant and goes on changing its ledger while a write is under way: PostgreSQL's provider
        // serialized whatever the ledger held once its connection had opened, a torn copy at worst.
        var inner = new LateSerializingStorage();
        var copier = new ServiceCollection().AddSerializer().BuildServiceProvider()
            .GetRequiredService<DeepCopier>();
        var storage = new ResilientGrainStorage(inner, ResiliencePipelines.Storage(NullLogger.Instance), copier);
        var state = new GrainState<Dictionary<string, int>>(new() { ["a"] = 1 }, "1") { RecordExists = true };

        var write = storage.WriteStateAsync("sweep", Pack, state);
        state.State!["b"] = 2;               // an epoch report, while the connection opens
        inner.ConnectionOpen.SetResult();
        await write;

        Assert.Equal("""{"a":1}""", inner.Payload);
        Assert.Equal(("2", true), (state.ETag, state.RecordExists));   // what the store said comes back to the grain
        Assert.Equal(2, state.State!["b"]);
    }

    /// <summary>A store whose first delete goes through but whose reply is lost; retried, a delete finds no record and
    /// says version conflict, as Redis' and PostgreSQL's do for a record that is gone.</summary>
    private sealed class LostDeleteReplyStorage(bool deleteGoesThrough) : IGrainStorage
    {
        private bool _deleted;
        private int _clears;

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            grainState.RecordExists = !_deleted;
            grainState.ETag = _deleted ? null : "1";
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (++_clears == 1)
            {
                _deleted = deleteGoesThrough;
                return Task.FromException(new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.SocketFailure, "reply lost"));
            }
            return Task.FromException(new InconsistentStateException("version conflict", "1", _deleted ? "null" : "1"));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AClearRetriedAfterItsReplyWasLost_IsDoneWhereTheRecordIsGone_AndAConflictWhereItIsNot(bool deleteWentThrough)
    {
        // `delete` said "stopped halfway: version conflict" of a curve chunk that its first try had deleted.
        var storage = new ResilientGrainStorage(new LostDeleteReplyStorage(deleteWentThrough), ResiliencePipelines.Storage(NullLogger.Instance));
        var state = new GrainState<string>("chunk", "1") { RecordExists = true };

        var clear = storage.ClearStateAsync("curve", Pack, state);

        if (deleteWentThrough)
        {
            await clear;
            Assert.Equal(((string?)null, false), (state.ETag, state.RecordExists));
        }
        else await Assert.ThrowsAsync<InconsistentStateException>(() => clear);
    }

    private static async Task<(Exception Thrown, int Reads)> ReadAsync(Func<Exception> failure)
    {
        var inner = new FailingStorage(failure);
        var storage = new ResilientGrainStorage(inner, ResiliencePipelines.Storage(NullLogger.Instance));
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => storage.ReadStateAsync("pack", Pack, new GrainState<string>()));
        return (thrown, inner.Reads);
    }

    [Fact]
    public async Task RedisMessageNamingTheDeserializer_BecomesCorruptState_WithTheKey_Unretried()
    {
        // Orleans' Redis provider keeps only the type and message of the deserializer's exception, in its own message.
        var (thrown, reads) = await ReadAsync(() => new RedisStorageException(
            "Failed to read grain state for pack with ID gg-training/s/p1 and storage key c/state/gg-training/s/p1/pack. " +
            "Newtonsoft.Json.JsonReaderException: Unexpected end while parsing unquoted property name. Path 'Spec', line 1, position 112."));

        var corrupt = Assert.IsType<StoredStateCorruptException>(thrown);
        Assert.Equal("stored pack state of gg-training/s/p1 could not be deserialized as String: Unexpected end while parsing unquoted " +
                     "property name. Path 'Spec', line 1, position 112 (Failed to read grain state for pack with ID gg-training/s/p1 and " +
                     "storage key c/state/gg-training/s/p1/pack)", corrupt.Message);
        Assert.Equal("delete that entry from the store", corrupt.WayOut);
        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task DeserializerExceptionItself_AsAdoNetRethrowsIt_BecomesCorruptState()
    {
        var (thrown, reads) = await ReadAsync(() => new Newtonsoft.Json.JsonSerializationException("Error resolving type specified in JSON 'X'."));

        Assert.Equal("stored pack state of gg-training/s/p1 could not be deserialized as String: Error resolving type specified in JSON 'X'",
            Assert.IsType<StoredStateCorruptException>(thrown).Message);
        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task FileStoresOwnReport_PassesThroughUnchanged()
    {
        var (thrown, reads) = await ReadAsync(() => new StateFileCorruptException("state file /x/gg-training/s/p1.pack.state is corrupt"));

        Assert.Equal("move that file away", Assert.IsType<StateFileCorruptException>(thrown).WayOut);
        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task Outage_IsRetried_AndNotCalledCorrupt()
    {
        var (thrown, reads) = await ReadAsync(() => new TimeoutException("no answer"));

        Assert.IsType<TimeoutException>(thrown);
        Assert.Equal(4, reads);   // the first attempt and three retries
    }

    [Fact]
    public async Task ARetriedWrite_RunsOnTheCallersScheduler()
    {
        // A grain's scheduler runs one task at a time: the retry must be one of them, not run beside them.
        var grain = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
        var inner = new FlakyWrites();
        var storage = new ResilientGrainStorage(inner, ResiliencePipelines.Storage(NullLogger.Instance));

        await Task.Factory.StartNew(() => storage.WriteStateAsync("pack", Pack, new GrainState<string>("x")),
            CancellationToken.None, TaskCreationOptions.None, grain).Unwrap();

        Assert.Equal([grain, grain], inner.Schedulers);
    }

    /// <summary>A provider whose first write fails as an outage would; records the scheduler of every write.</summary>
    private sealed class FlakyWrites : IGrainStorage
    {
        public List<TaskScheduler> Schedulers { get; } = [];

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Schedulers.Add(TaskScheduler.Current);
            return Schedulers.Count == 1 ? Task.FromException(new TimeoutException("no answer")) : Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }
}
