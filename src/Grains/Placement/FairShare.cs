using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Placement;

/// <summary>A sweep with packs waiting for a slot: how many may start now (its queue, less those in a start backoff),
/// since when it has waited, and what its next pack holds of a silo's memory (0: not known, fits anywhere).</summary>
internal sealed record SlotDemand(string Sweep, int Queued, DateTimeOffset Since, PackHostBytes Bytes = default);

/// <summary>
/// Which waiting sweeps the free slots go to: one slot at a time, to the sweep that would hold the fewest packs for its
/// priority with it ((held + 1) / priority; ties: the one waiting longest, then by name), each up to its queue. Sweeps thus
/// share the cluster's slots in proportion to their priorities (equally by default), and one that needs fewer leaves the
/// rest to the others (weighted max-min fairness). Decided as packs start, and, where a sweep holds more than its share
/// by at least a slot on each side, by a pack of it yielding its slot at an epoch's end, checkpointing there (<see cref="YieldTo"/>): so a sweep
/// submitted behind long packs gets its share without waiting for their end.
/// </summary>
internal static class FairShare
{
    /// <param name="free">Slots free now.</param>
    /// <param name="running">Packs holding a slot, by sweep.</param>
    /// <param name="priorities">Sweeps' priorities; a sweep not listed has the default.</param>
    /// <param name="room">The free slots with the room in memory beside them: a sweep is given only slots with room for
    /// its next pack, each taking that room (<see cref="SlotRoom"/>); any free slot where not given.</param>
    /// <returns>Slots each waiting sweep may start packs on now (sweeps given none are left out).</returns>
    public static Dictionary<string, int> Allocate(int free, IReadOnlyDictionary<string, int> running, IEnumerable<SlotDemand> waiting,
        IReadOnlyDictionary<string, int> priorities, SlotRoom? room = null)
    {
        var queue = waiting.Where(d => d.Queued > 0).OrderBy(d => d.Since).ThenBy(d => d.Sweep, StringComparer.Ordinal).ToList();
        var holding = queue.ToDictionary(d => d.Sweep, d => running.GetValueOrDefault(d.Sweep));
        var given = new Dictionary<string, int>();
        double Next(string sweep) => Load(holding[sweep] + 1, sweep, priorities);
        for (var slot = 0; slot < free; slot++)
        {
            // The first of the least-served sweeps that still waits (the list is in waiting order, so ties go to the earliest).
            SlotDemand? next = null;
            foreach (var d in queue)
                if (given.GetValueOrDefault(d.Sweep) < d.Queued && (next is null || Next(d.Sweep) < Next(next.Sweep)) && (room?.Fits(d.Bytes) ?? true))
                    next = d;
            if (next is null) break;
            room?.Take(next.Bytes);
            holding[next.Sweep]++;
            given[next.Sweep] = given.GetValueOrDefault(next.Sweep) + 1;
        }
        return given;
    }

    /// <summary>The waiting sweep a pack of <paramref name="sweep"/>, asking at an epoch's end, should give its slot to; null when it
    /// trains on. Only to a sweep that needs this very slot (<paramref name="needs"/>: no free slot has room for its packs,
    /// which would take one of those anyway, and this one would), that has waited since <paramref name="waitedSince"/> or
    /// earlier and, with the slot, would still hold no more packs for its priority than <paramref name="sweep"/> has left
    /// for its own: each yield thus narrows the gap between two sweeps, so slots never pass back and forth (with equal
    /// priorities: the waiting sweep holds at least two fewer). Slots already yielding count as passed on:
    /// <paramref name="yielding"/> holds the sweep each goes from and to.</summary>
    public static string? YieldTo(string sweep, Func<SlotDemand, bool> needs, IReadOnlyDictionary<string, int> running, IEnumerable<SlotDemand> waiting,
        IReadOnlyCollection<(string From, string To)> yielding, DateTimeOffset waitedSince, IReadOnlyDictionary<string, int> priorities)
    {
        int Holding(string s) => running.GetValueOrDefault(s) - yielding.Count(y => y.From == s) + yielding.Count(y => y.To == s);
        var left = Load(Holding(sweep) - 1, sweep, priorities);
        return waiting
            .Where(d => d.Sweep != sweep && d.Since <= waitedSince && d.Queued > yielding.Count(y => y.To == d.Sweep) && needs(d))
            .Select(d => (d.Sweep, d.Since, With: Load(Holding(d.Sweep) + 1, d.Sweep, priorities)))
            .Where(d => d.With <= left)
            .OrderBy(d => d.With).ThenBy(d => d.Since).ThenBy(d => d.Sweep, StringComparer.Ordinal)
            .Select(d => d.Sweep)
            .FirstOrDefault();
    }

    /// <summary>Packs held per unit of priority. Doubles compare exactly here: equal ratios of small integers round alike.</summary>
    private static double Load(int packs, string sweep, IReadOnlyDictionary<string, int> priorities) =>
        (double)packs / priorities.GetValueOrDefault(sweep, SweepPriority.Default);
}
