using Orleans.Runtime;
using Orleans.Storage;
using Polly;

namespace GradGuessCluster.Silo.Storage;

/// <summary>
/// Wraps a grain storage provider in a retry pipeline for transient connection failures. ETag conflicts are never
/// retried; a write whose reply was lost may surface as a conflict on retry, which the grain then handles as one.
/// </summary>
public sealed class ResilientGrainStorage(IGrainStorage inner, ResiliencePipeline pipeline) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        pipeline.ExecuteAsync(_ => new ValueTask(inner.ReadStateAsync(stateName, grainId, grainState))).AsTask();

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        pipeline.ExecuteAsync(_ => new ValueTask(inner.WriteStateAsync(stateName, grainId, grainState))).AsTask();

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        pipeline.ExecuteAsync(_ => new ValueTask(inner.ClearStateAsync(stateName, grainId, grainState))).AsTask();
}
