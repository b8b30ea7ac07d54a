namespace GradGuessCluster.Client.Bench;

/// <summary>What <see cref="StartupBench"/> measured: per probe, per app, the timed runs' wall seconds.</summary>
internal sealed record StartupBenchResult(
    IReadOnlyList<AppBuild> Apps,
    IReadOnlyList<StartupBench.Probe> Probes,
    IReadOnlyList<double>[][] Seconds,
    int Runs,
    DateTime FinishedUtc)
{
    public double Median(int probe, int app) => Stats.Median(Seconds[probe][app].ToArray());

    /// <summary>How many times longer the second app's median takes than the first's (null with one app).</summary>
    public double? Ratio(int probe) => Apps.Count > 1 ? Median(probe, 1) / Median(probe, 0) : null;
}
