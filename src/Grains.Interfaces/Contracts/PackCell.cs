namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>One cell of a pack: its id (a hash of its full configuration) and its place in the grid.</summary>
[GenerateSerializer, Immutable, Alias("gg.PackCell")]
public sealed record PackCell([property: Id(0)] string CellId, [property: Id(1)] CellConfig Config);
