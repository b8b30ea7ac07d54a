namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Where a cell sits in its sweep's grid. With the sweep's shared settings, this is the cell's full configuration.</summary>
[GenerateSerializer, Immutable, Alias("gg.CellConfig")]
public sealed record CellConfig(
    [property: Id(0)] string Method,
    [property: Id(1)] string Optimizer,
    [property: Id(2)] double LearningRate,
    [property: Id(3)] int Seed);
