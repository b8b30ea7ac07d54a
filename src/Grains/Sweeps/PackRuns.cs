namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// Which run of each pack the coordinator listens to. A training grain names every run it starts
/// (<c>PackProgress.Run</c>, <c>PackStart.Run</c>). Folded into nothing: a report from a run that has already ended (an
/// end report sent again after its first try was applied but its answer lost; a start's "running" answer folded after
/// that run's end), and an end from a run other than the pack's current one (an activation on a silo declared dead that
/// has not learned it yet, while the pack trains elsewhere). Kept in memory only: a coordinator activated anew knows no
/// run and takes reports as they come, as it takes those that name none (a training grain of an earlier build).
/// </summary>
internal sealed class PackRuns
{
    private readonly Dictionary<string, (string? Current, string? Ended)> _runs = new();

    /// <summary>Whether a report of <paramref name="run"/> is stale; if not, notes the run as the pack's current one, and
    /// as ended when <paramref name="ending"/>. Decided and noted at once, before any await of the caller, so that a
    /// report delivered twice side by side (the coordinator is reentrant) is folded once.</summary>
    public bool IsStale(string packId, string? run, bool ending)
    {
        if (run is null) return false;
        var (current, ended) = _runs.GetValueOrDefault(packId);
        if (run == ended || (ending && current is not null && run != current)) return true;
        _runs[packId] = (run, ending ? run : ended);
        return false;
    }

    public void Clear() => _runs.Clear();
}
