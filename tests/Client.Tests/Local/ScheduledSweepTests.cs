using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Training.Weights;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>A sweep under a cosine schedule, end to end on the embedded silo: planned, trained, read at earlier epochs with
/// a note that its rates had not annealed there, written back by status --spec, and kept from a raise of its epochs.</summary>
public sealed class ScheduledSweepTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-sched-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ACosineSweep_TrainsAndSaysItsSchedule_AndItsEpochsCannotBeRaised()
    {
        var state = Path.Combine(_dir, "state");
        const string Schedule = "optimizer: { schedule: cosine, warmupEpochs: 1 }";
        var spec = LocalSpecs.Write(_dir, "annealed", epochs: 3, extra: Schedule);

        var plan = CliRunner.Run("plan", spec);
        Assert.Contains("; learning rate cosine over 3 epochs, 1 warm-up", Assert.Single(plan.StdoutLines, l => l.StartsWith("  training", StringComparison.Ordinal)));
        LocalSpecs.Run(spec, state);

        var stored = CliRunner.Run("status", "annealed", "--state-dir", state, "--spec");
        Assert.Contains(Schedule, stored.StdoutLines);
        var early = CliRunner.Run("results", "annealed", "--state-dir", state, "--at", "2");
        Assert.True(early.ExitCode == 0, early.Stderr);
        Assert.Contains("note: sweep annealed anneals its learning rates over its 3 epochs (cosine)", early.Stderr);
        Assert.DoesNotContain("anneals", CliRunner.Run("results", "annealed", "--state-dir", state).Stderr);
        var best = Path.Combine(_dir, "best");
        var weights = CliRunner.Run("weights", "annealed", "--state-dir", state, "--best", "--out", best);
        Assert.True(weights.ExitCode == 0, weights.Stderr);
        Assert.All(Directory.GetFiles(best), f => Assert.Equal("cosine over 3 epochs, 1 warm-up", WeightsFileReader.Read(f).Metadata["schedule"]));

        var longer = LocalSpecs.Write(Directory.CreateDirectory(Path.Combine(_dir, "longer")).FullName, "annealed", epochs: 6, extra: Schedule);
        var raised = CliRunner.Run("local", longer, "--state-dir", state, "--extend", "--metrics-port", "0");
        Assert.Equal(2, raised.ExitCode);
        Assert.Contains("its cosine schedule anneals the rate over the stored epochs", raised.Stderr);
    }
}
