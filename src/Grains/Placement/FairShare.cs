namespace GradGuessCluster.Grains.Placement;

/// <summary>A sweep with packs waiting for a slot: how many may start now (its queue, less those in a start backoff),
/// and since when it has waited.</summary>
internal sealed record SlotDemand(string Sweep, int Queued, DateTimeOffset Since);

/// <summary>
/// Which waiting sweeps the free slots go to: one slot at a time, to the sweep that runs the fewest packs (ties: the one
/// waiting longest, then by name), each up to its queue. Sweeps thus share the cluster's slots equally, and one that
/// needs fewer leaves the rest to the others (max-min fairness). Decided as packs start: a running pack is never stopped
/// for another sweep, so a sweep submitted behind a long one gets its share as the long one's packs end.
/// </summary>
internal static class FairShare
{
    /// <param name="free">Slots free now.</param>
    /// <param name="running">Packs holding a slot, by sweep.</param>
    /// <returns>Slots each waiting sweep may start packs on now (sweeps given none are left out).</returns>
    public static Dictionary<string, int> Allocate(int free, IReadOnlyDictionary<string, int> running, IEnumerable<SlotDemand> waiting)
    {
        var queue = waiting.Where(d => d.Queued > 0).OrderBy(d => d.Since).ThenBy(d => d.Sweep, StringComparer.Ordinal).ToList();
        var holding = queue.ToDictionary(d => d.Sweep, d => running.GetValueOrDefault(d.Sweep));
        var given = new Dictionary<string, int>();
        for (var slot = 0; slot < free; slot++)
        {
            // The first of the least-served sweeps that still waits (the list is in waiting order, so ties go to the earliest).
            SlotDemand? next = null;
            foreach (var d in queue)
                if (given.GetValueOrDefault(d.Sweep) < d.Queued && (next is null || holding[d.Sweep] < holding[next.Sweep])) next = d;
            if (next is null) break;
            holding[next.Sweep]++;
            given[next.Sweep] = given.GetValueOrDefault(next.Sweep) + 1;
        }
        return given;
    }
}
