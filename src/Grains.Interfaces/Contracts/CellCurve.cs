namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Every recorded epoch of one cell, in epoch order.</summary>
[GenerateSerializer, Immutable, Alias("gg.CellCurve")]
public sealed record CellCurve(
    [property: Id(0)] string CellId,
    [property: Id(1)] CellConfig Config,
    [property: Id(2)] CellState State,
    [property: Id(3)] IReadOnlyList<EpochRecord> Records);
