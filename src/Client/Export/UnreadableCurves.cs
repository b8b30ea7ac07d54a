using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Export;

/// <summary>Cells whose stored curve could not be read (a damaged state file): export and plot still write every other
/// cell, say on stderr which are missing and why, and exit 2 (a file the user can move away or restore).</summary>
internal static class UnreadableCurves
{
    private const int Shown = 5;

    public static bool Any(IEnumerable<CellCurve> curves) => curves.Any(c => c.Unreadable is not null);

    /// <summary>Reports the unreadable cells; the exit code the command should return.</summary>
    /// <param name="sweep">Named in each line when a command reads several sweeps (a cell's id does not say which).</param>
    public static int Report(IReadOnlyList<CellCurve> curves, string? sweep = null)
    {
        var bad = curves.Where(c => c.Unreadable is not null).ToList();
        var of = sweep is null ? "" : $" of {sweep}";
        foreach (var c in bad.Take(Shown)) Output.Error($"cell {c.CellId}{of} left out: {c.Unreadable}");
        if (bad.Count > Shown) Output.Error($"and {bad.Count - Shown} more cells{of} left out with unreadable curves");
        return bad.Count == 0 ? ExitCodes.Success : ExitCodes.InvalidInput;
    }
}
