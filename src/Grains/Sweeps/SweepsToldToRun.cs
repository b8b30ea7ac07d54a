using System.Collections.Concurrent;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// The sweeps this silo was told to run since it started (submitted, extended, resumed or woken). On a silo that resumes
/// no sweep by itself (<c>gradguess local</c>) a running sweep's coordinator starts its watchdog at activation only for
/// these: one activated again mid-run (after a conflict on its ledger) must go on re-poking its packs, while one only read
/// (local's preflight, before its submit) must not restart them.
/// </summary>
public sealed class SweepsToldToRun
{
    private readonly ConcurrentDictionary<string, byte> _names = new();

    public void Add(string sweep) => _names.TryAdd(sweep, 0);

    public void Remove(string sweep) => _names.TryRemove(sweep, out _);

    public bool Contains(string sweep) => _names.ContainsKey(sweep);
}
