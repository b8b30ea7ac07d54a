using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>Cells that train together in one training grain (same method, optimizer and seed; with packing <c>lr</c>
/// several learning rates).</summary>
public sealed record GridPack(string PackId, IReadOnlyList<GridCell> Cells)
{
    public PackWork ToWork(SweepSpec spec, string? incarnation) =>
        new(spec.Name, PackId, spec, Cells.Select(c => new PackCell(c.CellId, c.Config)).ToArray(), incarnation);
}
