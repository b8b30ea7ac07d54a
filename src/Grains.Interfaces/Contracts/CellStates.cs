namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Helpers over <see cref="CellState"/> and their lower-case names (metrics labels, exports).</summary>
public static class CellStates
{
    public static IReadOnlyList<CellState> All { get; } = Enum.GetValues<CellState>();

    public static bool IsFinal(this CellState state) => state is not (CellState.Queued or CellState.Running);

    /// <summary>"queued", "running", "completed", "diverged", "failed", "cancelled".</summary>
    public static string Name(this CellState state) => state.ToString().ToLowerInvariant();
}
