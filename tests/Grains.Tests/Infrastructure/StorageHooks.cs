using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>A hook awaited before each write of the silos' grain storage (the real file storage beneath), so a test can
/// hold a grain inside one await: a slow store, deterministically.</summary>
public sealed class StorageHooks
{
    /// <summary>Awaited before a write or clear: the state's name (e.g. <c>curve</c>) and the id it is stored under.</summary>
    public Func<string, GrainId, Task>? BeforeWrite { get; set; }

    /// <summary>Called before a read, as <see cref="BeforeWrite"/> (a grain's activation reads its state).</summary>
    public Action<string, GrainId>? BeforeRead { get; set; }

    /// <summary>Holds every write of grains of <paramref name="grainType"/> from now until <see cref="WriteHold.Release"/>
    /// (which also takes the hook off): the grain waits inside its first such write, and its later calls queue behind it.</summary>
    public WriteHold HoldWrites(string grainType)
    {
        var hold = new WriteHold(this);
        BeforeWrite = (_, id) => id.Type.ToString() == grainType ? hold.Enter() : Task.CompletedTask;
        return hold;
    }

    public sealed class WriteHold(StorageHooks hooks)
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _writing = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Done once a held write has begun.</summary>
        public Task Writing => _writing.Task;

        internal Task Enter()
        {
            _writing.TrySetResult();
            return _released.Task;
        }

        public void Release()
        {
            hooks.BeforeWrite = null;
            _released.TrySetResult();
        }
    }

    /// <summary>For <see cref="SweepCluster.StartAsync"/>'s <c>services</c>: the sweep storage of every silo, hooked.</summary>
    public void Register(IServiceCollection services) =>
        services.AddKeyedSingleton<IGrainStorage>(GradGuessSiloOptions.StorageName, (sp, key) =>
        {
            var name = (string)key!;
            var files = ActivatorUtilities.CreateInstance<FileGrainStorage>(sp, name, sp.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(name));
            return new Hooked(files, this);
        });

    /// <summary>Takes the file storage's place under its name; its part in the silo's start (the lifecycle participant
    /// registered for that name resolves this) is passed on.</summary>
    private sealed class Hooked(FileGrainStorage inner, StorageHooks hooks) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            hooks.BeforeRead?.Invoke(stateName, grainId);
            return inner.ReadStateAsync(stateName, grainId, grainState);
        }

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (hooks.BeforeWrite is { } hook) await hook(stateName, grainId);
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }

        public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (hooks.BeforeWrite is { } hook) await hook(stateName, grainId);
            await inner.ClearStateAsync(stateName, grainId, grainState);
        }

        public void Participate(ISiloLifecycle lifecycle) => inner.Participate(lifecycle);
    }
}
