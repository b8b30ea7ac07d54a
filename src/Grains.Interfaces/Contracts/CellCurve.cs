namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Every recorded epoch of one cell, in epoch order. <see cref="Unreadable"/> says why its stored curve could
/// not be read (a damaged file); its records are then empty, and the other cells' are still given.</summary>
[GenerateSerializer, Immutable, Alias("gg.CellCurve")]
public sealed record CellCurve(
    [property: Id(0)] string CellId,
    [property: Id(1)] CellConfig Config,
    [property: Id(2)] CellState State,
    [property: Id(3)] IReadOnlyList<EpochRecord> Records,
    [property: Id(4)] string? Unreadable = null);
