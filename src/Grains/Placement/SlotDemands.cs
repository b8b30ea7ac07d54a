namespace GradGuessCluster.Grains.Placement;

/// <summary>The slot ledger's memory of which sweeps wait for slots (soft state: every running coordinator with queued packs
/// asks again on its watchdog tick, so a lost ledger activation relearns it within one interval).</summary>
/// <param name="interval">The coordinators' watchdog interval: a sweep that has not asked for three of them is forgotten
/// (cancelled, suspended, or its coordinator gone), so it holds no share nobody takes.</param>
internal sealed class SlotDemands(TimeSpan interval)
{
    private readonly Dictionary<string, (SlotDemand Demand, DateTimeOffset Seen)> _waiting = new();
    private readonly Dictionary<string, DateTimeOffset> _woken = new();

    /// <summary>Records what <paramref name="sweep"/> asks for (0: it waits no more) and shares the free slots among every
    /// waiting sweep (<see cref="FairShare"/>). What the asking sweep is granted no longer waits: the ledger holds it as
    /// promised (<see cref="SlotPromises"/>) until its packs reserve it.</summary>
    /// <param name="holding">Slots each sweep holds, promised ones included.</param>
    /// <param name="bytes">What the sweep's next pack holds of a silo's memory.</param>
    /// <param name="room">The free slots with the room in memory beside them (<see cref="FairShare.Allocate"/>).</param>
    public Dictionary<string, int> Ask(string sweep, int queued, PackHostBytes bytes, DateTimeOffset now, int free,
        IReadOnlyDictionary<string, int> holding, IReadOnlyDictionary<string, int> priorities, SlotRoom? room = null)
    {
        ForgetSilent(now);
        _woken.Remove(sweep);   // it answered its wake: the next slot freed for it wakes it again at once
        var since = _waiting.TryGetValue(sweep, out var earlier) ? earlier.Demand.Since : now;
        _waiting.Remove(sweep);
        if (queued > 0) _waiting[sweep] = (new SlotDemand(sweep, queued, since, bytes), now);
        var share = FairShare.Allocate(free, holding, _waiting.Values.Select(w => w.Demand), priorities, room);
        var left = queued - share.GetValueOrDefault(sweep);
        if (left > 0) _waiting[sweep] = (new SlotDemand(sweep, left, since, bytes), now);
        else _waiting.Remove(sweep);
        return share;
    }

    /// <summary>What the waiting sweeps asked for (those that stopped asking are forgotten first).</summary>
    public IEnumerable<SlotDemand> Current(DateTimeOffset now)
    {
        ForgetSilent(now);
        return _waiting.Values.Select(w => w.Demand);
    }

    /// <summary>Forgets the sweeps that have not asked for three watchdog intervals.</summary>
    private void ForgetSilent(DateTimeOffset now)
    {
        foreach (var stale in _waiting.Where(kv => kv.Value.Seen < now - 3 * interval).Select(kv => kv.Key).ToList())
            _waiting.Remove(stale);
    }

    /// <summary>True when a sweep given slots it did not ask for now should be woken to take them: not again while a wake
    /// is unanswered (it has not asked since), for up to a second, so wakes do not pile up on a busy coordinator.</summary>
    public bool ShouldWake(string sweep, DateTimeOffset now)
    {
        if (_woken.TryGetValue(sweep, out var last) && now - last < TimeSpan.FromSeconds(1)) return false;
        _woken[sweep] = now;
        return true;
    }
}
