namespace GradGuessCluster.Client.Planning;

/// <summary>How long packs take on a number of slots when, as the coordinator does, each is admitted in grid order
/// to the first slot that frees up.</summary>
internal static class SlotSchedule
{
    public static double Makespan(IEnumerable<double> packSeconds, int slots)
    {
        if (slots < 1) throw new ArgumentOutOfRangeException(nameof(slots), slots, "must be at least 1");
        var freeAt = new PriorityQueue<int, double>();
        for (int s = 0; s < slots; s++) freeAt.Enqueue(s, 0);
        double end = 0;
        foreach (var seconds in packSeconds)
        {
            freeAt.TryDequeue(out var slot, out var at);
            end = Math.Max(end, at + seconds);
            freeAt.Enqueue(slot, at + seconds);
        }
        return end;
    }
}
