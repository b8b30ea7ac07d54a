namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>The names a spec may use. They mirror the training core's tables (EstimatorNames, OptimizerNames,
/// DataSource.KnownSets); a test keeps them equal, since this project stays free of TorchSharp.</summary>
public static class SpecNames
{
    public static IReadOnlyList<string> Methods { get; } =
        ["backprop", "directional", "activation-perturbation", "wt", "downstream", "activation-mixing", "matched-noise"];

    public static IReadOnlyList<string> Optimizers { get; } = ["sgd", "adamw", "stable-adamw"];

    public static IReadOnlyList<string> DataSets { get; } = ["synthetic", "fashion-mnist", "mnist", "cifar10"];
}
