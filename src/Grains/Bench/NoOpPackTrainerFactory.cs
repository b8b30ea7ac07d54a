using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Bench;

/// <summary>Opens <see cref="NoOpPackTrainer"/>s: packs that do no numeric work, for measuring the orchestrator alone.</summary>
/// <param name="epochDelay">Wall time each epoch pretends to take (zero for the overhead bench; tests slow cells down).</param>
/// <param name="divergeAtLearningRate">Cells with a learning rate at or above this diverge in their second epoch.</param>
public sealed class NoOpPackTrainerFactory(TimeSpan epochDelay = default, double divergeAtLearningRate = 10.0) : IPackTrainerFactory
{
    private int _opened;

    /// <summary>Packs opened so far (resumes included).</summary>
    public int Opened => _opened;

    public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device)
    {
        Interlocked.Increment(ref _opened);
        var trainer = new NoOpPackTrainer(spec, epochDelay, divergeAtLearningRate);
        if (checkpointPath is not null) trainer.LoadCheckpoint(checkpointPath);
        return trainer;
    }
}
