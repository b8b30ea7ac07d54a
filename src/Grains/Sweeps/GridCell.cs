using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>One cell of an expanded grid: its id, its pack, its place in the grid.</summary>
public sealed record GridCell(string CellId, string PackId, CellConfig Config);
