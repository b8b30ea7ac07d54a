using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Training.Loop;

/// <summary>What may differ between the cells of one pack: optimizer hyperparameters and the seed
/// (weight init and guess stream).</summary>
public sealed record CellSettings(OptimizerSettings Optimizer, int Seed);
