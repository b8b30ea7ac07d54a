using System.Globalization;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// The sweep's recent pace in cell-epochs per second, from the statuses a live view polls, and the time left at that
/// pace. It looks back over a window (not since the view started) so that a sweep whose packs speed up or slow down,
/// or that stalled while a silo restarted, is judged by how it runs now; the remaining work is what is left of the
/// grid, queued cells included, so the estimate assumes the cluster keeps its current number of busy slots.
/// </summary>
internal sealed class EpochRate(TimeSpan window)
{
    /// <summary>Packs report in bursts (one report per pack and epoch): a shorter span says little.</summary>
    public static readonly TimeSpan MinimumSpan = TimeSpan.FromSeconds(10);

    private readonly Queue<(DateTime At, long Done)> _samples = new();
    private (DateTime At, long Done) _last;

    public void Observe(DateTime at, long epochsDone)
    {
        // Fewer epochs than before (a cell re-queued from an older checkpoint): the old pace no longer applies.
        if (_samples.Count > 0 && epochsDone < _last.Done) _samples.Clear();
        _last = (at, epochsDone);
        _samples.Enqueue(_last);
        // Keep one sample at or beyond the window's start, so the span read is the whole window once it has passed.
        while (_samples.Count > 2 && at - _samples.ElementAt(1).At >= window) _samples.Dequeue();
    }

    /// <summary>Time left to reach <paramref name="epochsTotal"/> at the recent pace; null until the pace is known (a
    /// span of at least <see cref="MinimumSpan"/> with progress in it).</summary>
    public TimeSpan? Remaining(long epochsTotal)
    {
        if (_samples.Count < 2) return null;
        var (firstAt, firstDone) = _samples.Peek();
        var (lastAt, lastDone) = _last;
        var span = lastAt - firstAt;
        if (span < MinimumSpan || lastDone <= firstDone) return null;
        var perSecond = (lastDone - firstDone) / span.TotalSeconds;
        return TimeSpan.FromSeconds(Math.Max(0, epochsTotal - lastDone) / perSecond);
    }

    /// <summary>"about 3 h 05 min left", "about 12 min left", "under a minute left": coarse, as the pace is.</summary>
    public static string Describe(TimeSpan left)
    {
        if (left < TimeSpan.FromMinutes(1)) return "under a minute left";
        var minutes = (long)Math.Round(left.TotalMinutes);
        return minutes < 60
            ? $"about {minutes} min left"
            : $"about {(minutes / 60).ToString(CultureInfo.InvariantCulture)} h {(minutes % 60).ToString("00", CultureInfo.InvariantCulture)} min left";
    }
}
