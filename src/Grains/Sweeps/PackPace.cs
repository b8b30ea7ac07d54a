namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// Each running pack's own pace, for its cells' time left in status (the sweep's time left, <see cref="EpochPace"/>,
/// counts queued packs too and says nothing of when one pack ends). A pack's pace is its stored epoch over its last
/// <see cref="Samples"/> reports, one a second at most: a pack of minutes-long epochs is paced over its last ten epochs,
/// one of tiny epochs over its last ten seconds. A pack overdue for its next report slows in the estimate as the wait
/// grows, so a stalled pack does not keep promising its end. Memory only, and forgotten when the pack stops: a pack
/// started again may train on another device at another pace.
/// </summary>
public sealed class PackPace
{
    private const int Samples = 10;
    private static readonly TimeSpan Resolution = TimeSpan.FromSeconds(1);

    /// <summary>No estimate from reports closer together than this: over a second, one report stored late (a busy
    /// coordinator) can make a pack look twice as fast as it is.</summary>
    private static readonly TimeSpan MinimumSpan = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, List<(DateTimeOffset At, int Epoch)>> _packs = new();

    /// <summary><paramref name="pack"/> has stored its epochs up to <paramref name="epoch"/> at <paramref name="at"/>.</summary>
    public void Add(string pack, DateTimeOffset at, int epoch)
    {
        if (!_packs.TryGetValue(pack, out var samples)) _packs[pack] = samples = [];
        // A pack that went back (started again from an earlier checkpoint) paces anew.
        if (samples.Count > 0 && epoch < samples[^1].Epoch) samples.Clear();
        // Within the resolution the newest sample moves forward: the epochs count, the window keeps its length.
        if (samples.Count >= 2 && at - samples[^2].At < Resolution) samples[^1] = (at, epoch);
        else samples.Add((at, epoch));
        if (samples.Count > Samples) samples.RemoveAt(0);
    }

    public void Forget(string pack) => _packs.Remove(pack);

    public void Clear() => _packs.Clear();

    /// <summary>Seconds until <paramref name="pack"/> has trained <paramref name="epochs"/> epochs, at its pace; null before
    /// two of its reports an epoch and <see cref="MinimumSpan"/> apart. Between reports the estimate counts down, up to one report's usual gap; past
    /// that the time since its first sample is taken as the span its epochs took, so the pace slows while it is overdue.</summary>
    public double? SecondsLeft(string pack, int epochs, DateTimeOffset now)
    {
        if (!_packs.TryGetValue(pack, out var samples) || samples.Count < 2) return null;
        var (first, last) = (samples[0], samples[^1]);
        if (last.Epoch <= first.Epoch || last.At - first.At < MinimumSpan) return null;
        var gap = (last.At - first.At).TotalSeconds / (samples.Count - 1);
        var since = Math.Max(0, (now - last.At).TotalSeconds);
        var span = Math.Max((last.At - first.At).TotalSeconds, (now - first.At).TotalSeconds - gap);
        var perSecond = (last.Epoch - first.Epoch) / span;
        return Math.Max(0, Math.Max(0, epochs - last.Epoch) / perSecond - Math.Min(since, gap));
    }
}
