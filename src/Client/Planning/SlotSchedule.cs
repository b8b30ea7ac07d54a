namespace GradGuessCluster.Client.Planning;

/// <summary>How long packs take on a number of slots when, as the coordinator does, each is admitted in grid order
/// to the first slot that frees up.</summary>
internal static class SlotSchedule
{
    public static double Makespan(IEnumerable<double> packSeconds, int slots)
    {
        if (slots < 1) throw new ArgumentOutOfRangeException(nameof(slots), slots, "must be at least 1");
        var packs = packSeconds.ToList();
        // Slots beyond one per pack stay idle and change nothing; one queue entry for each of int.MaxValue once ran out of memory.
        slots = Math.Min(slots, Math.Max(1, packs.Count));
        var freeAt = new PriorityQueue<int, double>(slots);
        for (int s = 0; s < slots; s++) freeAt.Enqueue(s, 0);
        double end = 0;
        foreach (var seconds in packs)
        {
            freeAt.TryDequeue(out var slot, out var at);
            end = Math.Max(end, at + seconds);
            freeAt.Enqueue(slot, at + seconds);
        }
        return end;
    }
}
