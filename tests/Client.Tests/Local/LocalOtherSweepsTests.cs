using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>`local B` runs B: a sweep A interrupted earlier in the same state directory stays where it stopped until
/// `local A` runs again. Before, every local woke every sweep its directory listed as running, so A took half of B's
/// slots unseen (B's progress shows B), and stopped again, mid-run, when B ended.</summary>
[Trait("Category", "EndToEnd")]
public sealed class LocalOtherSweepsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-others-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalOtherSweepsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Local_RunsTheSweepItIsGiven_NotTheOthersItsStateDirectoryHolds()
    {
        var state = Path.Combine(_dir, "state");
        var a = LocalSpecs.Write(_dir, "a", epochs: 5000, checkpointEvery: 5);
        using (var run = new LocalProcess("local", a, "--state-dir", state, "--metrics-port", "0"))
        {
            var checkpoints = Path.Combine(state, "checkpoints", "a");
            for (var until = DateTime.UtcNow.AddSeconds(120); !(Directory.Exists(checkpoints) && Directory.GetFiles(checkpoints, "*.ckpt").Length > 0);)
            {
                Assert.True(DateTime.UtcNow < until, "local wrote no checkpoint: " + run.Stderr);
                Thread.Sleep(200);
            }
            run.Signal("TERM");
            Assert.Equal(1, run.WaitForExit(TimeSpan.FromSeconds(60)));
        }
        var before = Epochs(state, "a");

        var b = CliRunner.Run("local", LocalSpecs.Write(_dir, "b", epochs: 3), "--state-dir", state, "--metrics-port", "0");
        Assert.True(b.ExitCode == 0, b.Stderr);

        Assert.Equal(before, Epochs(state, "a"));   // and still running, paused: its own local goes on with it
    }

    /// <summary>"N/M" of a sweep's cell-epochs, as status says them.</summary>
    private static string Epochs(string state, string sweep)
    {
        var status = CliRunner.Run("status", sweep, "--state-dir", state);
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.StartsWith($"sweep {sweep}: running,", status.Stdout);
        var match = System.Text.RegularExpressions.Regex.Match(status.Stdout, @"(\d+)/(\d+) cell-epochs");
        Assert.True(match.Success, status.Stdout);
        return match.Value;
    }
}
