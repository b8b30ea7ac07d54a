namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// A sweep's recent pace in stored cell-epochs per second, for the time left that status shows. It counts epochs as
/// the coordinator stores them and looks back over a window up to now (not to the last report), so a sweep that
/// stalls (its silos gone) slows down in the estimate instead of keeping its old pace; a coordinator that has just
/// activated knows no pace until reports have come in for <c>minimumSpan</c>. Memory only: a new activation starts over.
/// Once reports come again after a stall, the time stood still is taken out (see <see cref="StallFactor"/>), so the
/// pace is the sweep's own again at once instead of after a window of slow-looking samples. Beside the cell-epochs it
/// counts their work (each pack's FLOPs, <see cref="PackCost"/>): a time left reckoned in work holds when the packs
/// still to come cost more an epoch than those that set the pace.
/// </summary>
public sealed class EpochPace(TimeSpan window, TimeSpan minimumSpan)
{
    /// <summary>One sample a second at most: a sweep of tiny epochs reports thousands of times a second, and the window
    /// would hold every report; a second's resolution moves a five-minute pace by well under 1 %.</summary>
    private static readonly TimeSpan Resolution = TimeSpan.FromSeconds(1);

    /// <summary>A gap between the sweep's reports is a stall when it is longer than the window and than this many times
    /// the longest of the packs' latest gaps between two reports of their own. Both, so that a sweep whose epochs take
    /// longer than the window (a report every 10 minutes) keeps its cadence as its pace, and one that reports every
    /// second is not thought stalled by a pause of a minute. A pack's own cadence, not the sweep's: packs started seconds
    /// apart report in bursts, and the long gap between two bursts is their epoch, not a stall. Its latest gap, not its
    /// longest: one long pause (a wait for a slot) would otherwise hide every later stall shorter than three of it.</summary>
    private const int StallFactor = 3;

    private Queue<(DateTimeOffset At, long Stored, double Work)> _samples = new();
    private readonly Dictionary<string, (DateTimeOffset Last, TimeSpan Gap)> _packs = new();
    private DateTimeOffset _lastSample;
    private long _stored;
    private double _work;

    internal int SampleCount => _samples.Count;

    /// <summary><paramref name="epochs"/> cell-epochs of <paramref name="pack"/> were stored at <paramref name="at"/>, their
    /// <paramref name="work"/> in all (0: not known).</summary>
    public void Add(DateTimeOffset at, int epochs, string pack, double work = 0)
    {
        _stored += epochs;
        _work += work;
        // Looked at only after a gap longer than the window (rare): the packs' cadences are then gone through.
        if (_samples.Count > 0 && at - _lastSample is var gap && gap > window && Cadence() is var cadence
            && cadence > TimeSpan.Zero && gap > StallFactor * cadence)
        {
            TakeOut(gap - cadence);
            _packs.Clear();   // each pack's next gap spans the stall: no cadence of its own
        }
        if (epochs > 0)
            _packs[pack] = _packs.TryGetValue(pack, out var known) ? (at, at - known.Last) : (at, TimeSpan.Zero);
        if (_samples.Count > 0 && at - _lastSample < Resolution) return;   // counted in _stored, sampled with the next
        _samples.Enqueue((at, _stored, _work));
        _lastSample = at;
        Trim(at);
    }

    /// <summary>Cell-epochs per second over the window up to <paramref name="now"/>; null before reports span
    /// <c>minimumSpan</c>, or with none in the window.</summary>
    public double? PerSecond(DateTimeOffset now)
    {
        Trim(now);
        if (_samples.Count == 0) return null;
        // The oldest sample is the baseline: its own epochs were done before the span that follows it.
        var (since, baseline, _) = _samples.Peek();
        var span = now - since;
        if (span < minimumSpan || _stored == baseline) return null;
        return (_stored - baseline) / span.TotalSeconds;
    }

    /// <summary>Work per second over the same window as <see cref="PerSecond"/>; null where that is, or where no work
    /// was counted in the window.</summary>
    public double? WorkPerSecond(DateTimeOffset now)
    {
        if (PerSecond(now) is null) return null;
        var (since, _, baseline) = _samples.Peek();
        return _work > baseline ? (_work - baseline) / (now - since).TotalSeconds : null;
    }

    /// <summary>The longest of the packs' latest gaps between two of their reports; zero before any pack reported twice.</summary>
    private TimeSpan Cadence() => _packs.Count == 0 ? TimeSpan.Zero : _packs.Values.Max(p => p.Gap);

    /// <summary>Moves the samples before a stall later by <paramref name="stood"/>, as if the stall had lasted one
    /// pack's epoch: the pace then holds the epochs before it and after it, not the time between.</summary>
    private void TakeOut(TimeSpan stood)
    {
        _samples = new Queue<(DateTimeOffset At, long Stored, double Work)>(_samples.Select(s => (s.At + stood, s.Stored, s.Work)));
    }

    /// <summary>Drops samples older than the window, keeping the newest of them as the baseline at the window's start.</summary>
    private void Trim(DateTimeOffset now)
    {
        while (_samples.Count > 1 && now - _samples.ElementAt(1).At >= window) _samples.Dequeue();
    }
}
