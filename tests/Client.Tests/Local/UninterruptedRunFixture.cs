using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>
/// The uninterrupted run that <see cref="LocalInterruptionTests"/> compare their interrupted runs with, trained once for
/// the class (it took a fifth of the class's time once per test). Its cells have the ids of every interrupted sweep's:
/// a cell's id leaves out the sweep's name and its checkpointEvery (<c>SweepGrid</c>), and this run checkpoints only at
/// a pack's end, so it is the plainest uninterrupted run of those cells.
/// </summary>
public sealed class UninterruptedRunFixture : IDisposable
{
    public const string Sweep = "reference";
    public const int Epochs = 24;
    public const int Train = 8192;   // tens of milliseconds per epoch: an interruption lands mid-pack
    public const int Width = 64;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-uninterrupted-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Lazy<(CliRunner.Result Result, TimeSpan Elapsed)> _run;

    public UninterruptedRunFixture()
    {
        Directory.CreateDirectory(_dir);
        _run = new(() =>
        {
            var spec = LocalSpecs.Write(_dir, Sweep, Epochs, checkpointEvery: 100, train: Train, width: Width);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = CliRunner.Run("local", spec, "--cpu-slots", "1", "--state-dir", StateDir, "--metrics-port", "0");
            return (result, clock.Elapsed);
        });
    }

    /// <summary>The run's state directory, which holds <see cref="Sweep"/>.</summary>
    public string StateDir => Path.Combine(_dir, "state");

    /// <summary>How long the run took, trained on the first call (later calls wait for that one); asserts that it
    /// completed.</summary>
    public TimeSpan Ensure()
    {
        var (result, elapsed) = _run.Value;
        Assert.True(result.ExitCode == 0, $"the uninterrupted run exited {result.ExitCode}: {result.Stderr}");
        return elapsed;
    }

    /// <summary>Writes the spec of a sweep named <paramref name="name"/> with the reference's cells.</summary>
    public static string WriteSpec(string directory, string name, int checkpointEvery) =>
        LocalSpecs.Write(directory, name, Epochs, checkpointEvery, train: Train, width: Width);

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
