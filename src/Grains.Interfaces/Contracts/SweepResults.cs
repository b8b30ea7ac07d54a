namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The results table of a sweep (one row per method × optimizer, in spec order) under its selection rule, and the
/// data its packs trained on (<see cref="SweepStatus.Data"/>).</summary>
[GenerateSerializer, Immutable, Alias("gg.SweepResults")]
public sealed record SweepResults(
    [property: Id(0)] string Name,
    [property: Id(1)] SweepState State,
    [property: Id(2)] SelectionSpec Selection,
    [property: Id(3)] IReadOnlyList<ResultRow> Rows,
    [property: Id(4)] DataRead? Data = null);
