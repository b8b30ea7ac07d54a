namespace GradGuessCluster.Grains.Sweeps;

/// <summary>The pause before try n + 1 after n tries: <c>first</c>, doubling with each try, never past <c>longest</c>
/// (and no overflow however many tries).</summary>
internal static class DoublingPause
{
    public static TimeSpan After(int tries, TimeSpan first, TimeSpan longest) =>
        TimeSpan.FromTicks(Math.Min(longest.Ticks, first.Ticks << Math.Clamp(tries - 1, 0, 16)));
}
