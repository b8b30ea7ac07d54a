namespace GradGuessCluster.Training.Optim;

/// <summary>One cell's optimizer hyperparameters (cells of a pack may differ in every field but the kind).</summary>
/// <param name="WeightDecay">Decoupled weight decay λ (AdamW, StableAdamW); L2-free SGD ignores it unless non-zero.</param>
/// <param name="Momentum">SGD momentum (0 = plain SGD).</param>
/// <param name="Beta1">First-moment decay. Defaults follow SPEC §4: (0.9, 0.99), ε = 1e-6 for both Adam variants.</param>
public sealed record OptimizerSettings(
    OptimizerKind Kind,
    double LearningRate,
    double WeightDecay = 0.0,
    double Momentum = 0.0,
    double Beta1 = 0.9,
    double Beta2 = 0.99,
    double Epsilon = 1e-6,
    double ClipThreshold = 1.0);
