using System.Diagnostics;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>Wall time of a tensor op run again and again, each run in its own dispose scope (its result freed at once).</summary>
internal static class OpTimer
{
    /// <summary>Seconds of each of <paramref name="repeats"/> runs, after <paramref name="warmup"/> untimed ones; each
    /// run's time includes <paramref name="synchronise"/> (waiting for a GPU).</summary>
    public static List<double> Seconds(Func<Tensor> op, int repeats, int warmup = 0, Action? synchronise = null)
    {
        var seconds = new List<double>(repeats);
        for (int i = 0; i < warmup + repeats; i++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            op();
            synchronise?.Invoke();
            if (i >= warmup) seconds.Add(clock.Elapsed.TotalSeconds);
        }
        return seconds;
    }
}
