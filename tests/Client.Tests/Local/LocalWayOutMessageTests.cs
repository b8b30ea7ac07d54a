using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>What a <c>local</c> user reads when a run cannot go on as asked: the exact command that gets them further,
/// for a local state directory and not for a cluster.</summary>
public sealed class LocalWayOutMessageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-wayout-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalWayOutMessageTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Local_RerunOfACompletedSweep_SaysItIsComplete_AndAChangedSpecNamesTheDeleteOfThisStateDirectory()
    {
        var state = Path.Combine(_dir, "state");
        var spec = LocalSpecs.Write(_dir, "done", epochs: 1);
        var first = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        Assert.True(first.ExitCode == 0, first.Stderr);

        var again = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0");
        var changed = CliRunner.Run("local", LocalSpecs.Write(_dir, "done", epochs: 1, checkpointEvery: 1), "--state-dir", state, "--metrics-port", "0");

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains($"sweep done found in {state}: already complete, nothing to train", again.StderrLines);
        Assert.DoesNotContain("resuming", again.Stderr);
        Assert.Contains("results of done (completed)", again.Stdout);   // the table still
        Assert.Equal(2, changed.ExitCode);
        var line = Assert.Single(changed.StderrLines);
        Assert.Contains($"or `gradguess delete --state-dir {state} done` first", line);
        // The command it names does what it says.
        var delete = CliRunner.Run("delete", "--state-dir", state, "done", "--yes");
        Assert.True(delete.ExitCode == 0, delete.Stderr);
    }

    [Fact]
    public void Local_StateDirectoryWithASpace_IsQuotedInTheDeleteItNames()
    {
        Assert.Equal("`gradguess delete --state-dir '/tmp/a b' s`", Client.Local.LocalSweep.DeleteCommand("s", "/tmp/a b"));
        Assert.Equal("`gradguess delete --state-dir '/tmp/it'\\''s' s`", Client.Local.LocalSweep.DeleteCommand("s", "/tmp/it's"));
    }

    [Fact]
    public void Reader_OnTheDefaultGatewayBesideALocalState_SaysToAddStateDir_AndNotWhenAGatewayIsGiven()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ".gradguess", "state"));   // what `local` leaves in the working directory
        var port = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts.Next();

        var byDefault = CliRunner.Run(TimeSpan.FromMinutes(1), _dir, CliRunner.NoClusterEnvironment, "results", "quick", "--connect-timeout", "0.5");
        var given = CliRunner.Run(TimeSpan.FromMinutes(1), _dir, CliRunner.NoClusterEnvironment,
            "results", "quick", "--gateway", $"127.0.0.1:{port}", "--connect-timeout", "0.5");
        var elsewhere = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment, "results", "quick", "--connect-timeout", "0.5");

        Assert.Equal(1, byDefault.ExitCode);
        var line = Assert.Single(byDefault.StderrLines);
        Assert.EndsWith("; a local run's state is in .gradguess: add --state-dir .gradguess to read it", line);
        Assert.DoesNotContain(".;", line);   // not after Orleans' full stop
        Assert.Equal(1, given.ExitCode);
        Assert.DoesNotContain("--state-dir", given.Stderr);
        Assert.Equal(1, elsewhere.ExitCode);
        Assert.DoesNotContain("--state-dir", elsewhere.Stderr);
    }
}
