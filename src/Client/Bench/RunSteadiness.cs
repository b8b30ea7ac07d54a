using System.Globalization;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// Whether the machine ran at one speed through a bench: on a shared VM the matmul peak and the memory copy rate, sampled
/// after every round, can move by half within minutes (BENCHMARKS.md, 2026-12-04), and the rows timed meanwhile with them.
/// </summary>
internal static class RunSteadiness
{
    /// <summary>How far the largest sample of either may exceed the smallest before the run is called unsteady.</summary>
    public const double MaxSpread = 1.25;

    /// <summary>A note for the user when either rate's samples spread past <see cref="MaxSpread"/>; null otherwise.</summary>
    public static string? Note(IReadOnlyList<double> peakGflops, IReadOnlyList<double> copyGBps)
    {
        var moved = new List<string>();
        if (Spread(peakGflops) > MaxSpread) moved.Add($"matmul peak {Range(peakGflops)} GFLOP/s");
        if (Spread(copyGBps) > MaxSpread) moved.Add($"memory copy {Range(copyGBps)} GB/s");
        return moved.Count == 0 ? null
            : $"note: this machine's speed moved during the run ({string.Join(", ", moved)}): rows whose peak or copy column "
              + "reads low ran while something else used the machine; run again when it is quiet before quoting them";
    }

    private static double Spread(IReadOnlyList<double> samples) =>
        samples.Count < 2 || samples.Min() <= 0 ? 1 : samples.Max() / samples.Min();

    private static string Range(IReadOnlyList<double> samples) =>
        string.Create(CultureInfo.InvariantCulture, $"{samples.Min():F1}–{samples.Max():F1}");
}
