namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>What a training grain trains: the cells of one pack (same method and optimizer; with packing <c>lr</c>
/// they differ only in learning rate) and the sweep settings they share. <paramref name="Incarnation"/> tells this
/// sweep apart from an earlier, deleted one of the same name (null for sweeps submitted before incarnations existed).</summary>
[GenerateSerializer, Immutable, Alias("gg.PackWork")]
public sealed record PackWork(
    [property: Id(0)] string Sweep,
    [property: Id(1)] string PackId,
    [property: Id(2)] SweepSpec Spec,
    [property: Id(3)] IReadOnlyList<PackCell> Cells,
    [property: Id(4)] string? Incarnation = null);
