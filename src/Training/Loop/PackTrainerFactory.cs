using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Training.Loop;

/// <summary>
/// The TorchSharp-backed <see cref="IPackTrainerFactory"/>. Packs in one process share one loaded copy of each data
/// set per device through <see cref="DatasetCache.Shared"/> (a 60k-image set is ~200 MB as float32).
/// </summary>
public sealed class PackTrainerFactory : IPackTrainerFactory
{
    public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device)
    {
        TorchRuntime.EnsureInitialised();
        var dev = TorchSharp.torch.device(device);
        var data = DatasetCache.Shared.Get(spec.Data, dev);
        var trainer = new PackTrainer(spec, data, dev);
        try
        {
            if (checkpointPath is not null) trainer.LoadCheckpoint(checkpointPath);
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }
}
