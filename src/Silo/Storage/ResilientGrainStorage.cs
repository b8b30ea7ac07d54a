using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Silo.Hosting;
using Orleans.Persistence.Redis;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Polly;

namespace GradGuessCluster.Silo.Storage;

/// <summary>
/// Wraps a grain storage provider in a retry pipeline for transient connection failures. ETag conflicts are never
/// retried; a write whose reply was lost may surface as a conflict on retry, which the grain then handles as one.
/// A stored state that does not deserialize becomes a <see cref="StoredStateCorruptException"/>, whatever the
/// provider, so that readers treat a damaged Redis or PostgreSQL entry as they treat a damaged state file.
/// </summary>
/// <param name="snapshot">Copies the state a write is given, in the caller's turn, for a provider that serializes it
/// only after an await (PostgreSQL: once its connection is open, on the thread pool, while a reentrant grain goes on
/// changing its state); null where the provider serializes at once.</param>
public sealed class ResilientGrainStorage(IGrainStorage inner, ResiliencePipeline pipeline, DeepCopier? snapshot = null) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            await RunAsync(() => inner.ReadStateAsync(stateName, grainId, grainState));
        }
        catch (Exception e) when (UnreadablePayload(e) is { } problem)
        {
            // Its message only, not the provider's exception: that crosses to clients, which have no codec for its type.
            throw new StoredStateCorruptException($"stored {stateName} state of {grainId} could not be deserialized as {typeof(T).Name}: " +
                                                  problem.TrimEnd('.') + (Where(e) is { } where ? $" ({where})" : ""));
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (snapshot is null)
        {
            await RunAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));
            return;
        }
        var copy = new GrainState<T>(snapshot.Copy(grainState.State), grainState.ETag) { RecordExists = grainState.RecordExists };
        await RunAsync(() => inner.WriteStateAsync(stateName, grainId, copy));
        (grainState.ETag, grainState.RecordExists) = (copy.ETag, copy.RecordExists);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var lostReply = false;
        try
        {
            await RunAsync(async () =>
            {
                try { await inner.ClearStateAsync(stateName, grainId, grainState); }
                catch (Exception e) when (TransientFailures.IsTransient(e))
                {
                    lostReply = true;
                    throw;
                }
            });
        }
        // A delete whose reply was lost, then retried, finds its record gone and reports a version conflict: the clear is
        // done, if the record is not there.
        catch (InconsistentStateException) when (lostReply)
        {
            if (await ExistsAsync<T>(stateName, grainId)) throw;
            (grainState.ETag, grainState.RecordExists) = (null, false);
        }
    }

    private async Task<bool> ExistsAsync<T>(string stateName, GrainId grainId)
    {
        var stored = new GrainState<T>();
        await ReadStateAsync(stateName, grainId, stored);   // a damaged record found here is said as such, as on any read
        return stored.RecordExists;
    }

    /// <summary>Runs <paramref name="operation"/> through the pipeline on the caller's scheduler, retries included: after
    /// Polly's delay a retry would otherwise call the provider from the thread pool, which serializes the grain's state
    /// there while the grain (reentrant) goes on changing it.</summary>
    private async Task RunAsync(Func<Task> operation)
    {
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true);
        try
        {
            await pipeline.ExecuteAsync(_ => new ValueTask(operation()), context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The deserializer's complaint, when <paramref name="e"/> comes of one (Orleans' storage serializer is
    /// Newtonsoft.Json; System.Text.Json too, for a configured one); null for anything else, and for a file store's own
    /// report, which already is one.</summary>
    private static string? UnreadablePayload(Exception e)
    {
        if (e is StoredStateCorruptException) return null;
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is Newtonsoft.Json.JsonException or System.Text.Json.JsonException) return Failures.OneLine(x.Message);
            // Orleans' Redis provider drops the deserializer's exception, keeping its type and message in its own.
            if (x is RedisStorageException && WrappedCause.In(x.Message) is { IsDeserializer: true } cause) return cause.Message;
        }
        return null;
    }

    /// <summary>Where the provider says the entry is (Redis: "Failed to read grain state for ... and storage key K"); null
    /// when it says nothing more than the grain id: the ADO.NET provider rethrows the deserializer's own exception.</summary>
    private static string? Where(Exception e)
    {
        if (e is Newtonsoft.Json.JsonException or System.Text.Json.JsonException) return null;
        return WrappedCause.In(e.Message) is { IsDeserializer: true } cause ? cause.Where : Failures.OneLine(e.Message).TrimEnd(' ', '.');
    }
}
