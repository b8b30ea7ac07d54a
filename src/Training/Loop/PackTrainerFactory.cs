using System.Collections.Concurrent;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Loop;

/// <summary>
/// The TorchSharp-backed <see cref="IPackTrainerFactory"/>. Packs in one process share one loaded copy of each data
/// set per device (a 60k-image set is ~200 MB as float32), kept for the factory's lifetime.
/// </summary>
public sealed class PackTrainerFactory : IPackTrainerFactory, IDisposable
{
    private readonly ConcurrentDictionary<(DataSource Source, string Device), Lazy<Dataset>> _data = new();

    public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device)
    {
        TorchRuntime.EnsureInitialised();
        var dev = TorchSharp.torch.device(device);
        var data = _data.GetOrAdd((spec.Data, device),
            key => new Lazy<Dataset>(() => DatasetLoader.Load(key.Source, dev), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        var trainer = new PackTrainer(spec, data, dev);
        try
        {
            if (checkpointPath is not null && File.Exists(checkpointPath)) trainer.LoadCheckpoint(checkpointPath);
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _data.Values)
            if (lazy.IsValueCreated) lazy.Value.Dispose();
        _data.Clear();
    }
}
