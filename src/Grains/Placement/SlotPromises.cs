namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// Slots the ledger has granted to a sweep whose packs have not reserved them yet (soft state). Between a grant and the
/// reservations its packs make through placement, the granted slots still look free; counted as held by the sweep they
/// went to, they are not handed to another sweep in that moment, nor taken back from it by a yield. A promise is kept
/// until the sweep's packs reserve the slots (or a start that failed before reserving says so), until the sweep asks
/// again (its starts are done by then), or, as a safety net, for three watchdog intervals.
/// </summary>
internal sealed class SlotPromises(TimeSpan interval)
{
    private readonly Dictionary<string, Promise> _promised = new();

    /// <summary>Replaces <paramref name="sweep"/>'s promise with <paramref name="slots"/> granted now, for packs of
    /// <paramref name="bytes"/>.</summary>
    public void Grant(string sweep, int slots, DateTimeOffset now, PackHostBytes bytes = default)
    {
        if (slots > 0) _promised[sweep] = new Promise(slots, now, [], bytes);
        else _promised.Remove(sweep);
    }

    /// <summary>The slots promised and not yet reserved, with the bytes of the packs they are for (lapsed ones left out).</summary>
    public IEnumerable<(int Slots, PackHostBytes Bytes)> Outstanding(DateTimeOffset now) =>
        _promised.Values.Where(p => Live(p, now)).Select(p => (p.Slots, p.Bytes));

    /// <summary>Drops what <paramref name="sweep"/> was promised: it asks again.</summary>
    public void Withdraw(string sweep) => _promised.Remove(sweep);

    /// <summary>One promised slot of <paramref name="sweep"/> was reserved by <paramref name="pack"/> (or will not be).
    /// Once per pack: a pack reserved by placement and then claiming on another silo, or whose start failed after its
    /// reservation lapsed, takes one slot of the promise, not two.</summary>
    public void Redeem(string? sweep, string pack)
    {
        if (sweep is null || !_promised.TryGetValue(sweep, out var p) || !p.RedeemedBy.Add(pack)) return;
        if (p.Slots <= 1) _promised.Remove(sweep);
        else _promised[sweep] = p with { Slots = p.Slots - 1 };
    }

    /// <summary>Slots promised to sweeps other than <paramref name="sweep"/> (lapsed promises left out).</summary>
    public int PromisedToOthers(string? sweep, DateTimeOffset now) =>
        _promised.Where(kv => kv.Key != sweep && Live(kv.Value, now)).Sum(kv => kv.Value.Slots);

    /// <summary>The slots free and held by sweep for sharing them out: promised slots count as held, not free.</summary>
    public (int Free, Dictionary<string, int> Holding) Apply(int free, IReadOnlyDictionary<string, int> running, DateTimeOffset now)
    {
        foreach (var lapsed in _promised.Where(kv => !Live(kv.Value, now)).Select(kv => kv.Key).ToList())
            _promised.Remove(lapsed);
        var holding = new Dictionary<string, int>(running);
        foreach (var (sweep, p) in _promised) holding[sweep] = holding.GetValueOrDefault(sweep) + p.Slots;
        return (Math.Max(0, free - _promised.Values.Sum(p => p.Slots)), holding);
    }

    /// <summary>Whether <paramref name="p"/> still holds: the safety net lets a promise lapse after three watchdog intervals.</summary>
    private bool Live(Promise p, DateTimeOffset now) => p.At >= now - 3 * interval;

    private sealed record Promise(int Slots, DateTimeOffset At, HashSet<string> RedeemedBy, PackHostBytes Bytes);
}
