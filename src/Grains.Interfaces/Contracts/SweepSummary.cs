namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>One entry of the sweep registry.</summary>
/// <param name="Incarnation">The sweep's <see cref="PackWork.Incarnation"/>: kept here too, so that a sweep whose ledger
/// was lost can be rebuilt as the same incarnation (its packs then continue from their checkpoints). Null in entries
/// written before it existed.</param>
/// <param name="Growth">The grid axes of every spec the sweep has had (JSON, oldest first; null if never extended): a grown
/// sweep whose ledger was lost is rebuilt from its current spec with its packs as they were.</param>
[GenerateSerializer, Immutable, Alias("gg.SweepSummary")]
public sealed record SweepSummary(
    [property: Id(0)] string Name,
    [property: Id(1)] SweepState State,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] string? Incarnation = null,
    [property: Id(4)] string? Growth = null);
