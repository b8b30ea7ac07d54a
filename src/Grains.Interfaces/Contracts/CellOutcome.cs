namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>How one cell of a finished pack ended.</summary>
[GenerateSerializer, Immutable, Alias("gg.CellOutcome")]
public sealed record CellOutcome(
    [property: Id(0)] string CellId,
    [property: Id(1)] CellState State,
    [property: Id(2)] int LastEpoch,
    [property: Id(3)] string? Error = null);
