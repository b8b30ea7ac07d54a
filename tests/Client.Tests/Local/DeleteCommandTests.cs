using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary><c>gradguess delete --state-dir</c> as a user runs it: it asks for --yes when it cannot ask, removes every
/// file of that sweep and nothing else, frees the name for a changed spec, and is refused while a <c>local</c> holds the
/// directory; a sweep interrupted there (paused, still "running") can then be deleted.</summary>
public sealed class DeleteCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-delete-" + Guid.NewGuid().ToString("N")[..8]);

    public DeleteCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string State => Path.Combine(_dir, "state");

    [Fact]
    public void Delete_AsksForYes_ThenRemovesOnlyThatSweep_AndTheNameTakesAChangedSpec()
    {
        var gone = LocalSpecs.Write(_dir, "gone", epochs: 2);
        var stays = LocalSpecs.Write(_dir, "stays", epochs: 2);
        foreach (var spec in new[] { gone, stays })
        {
            var run = CliRunner.Run("local", spec, "--state-dir", State, "--metrics-port", "0");
            Assert.True(run.ExitCode == 0, run.Stderr);
        }
        var staysExport = CliRunner.Run("export", "stays", "--format", "csv", "--state-dir", State).Stdout;
        var before = Files();

        var unconfirmed = CliRunner.Run("delete", "gone", "--state-dir", State);
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains("pass --yes", Assert.Single(unconfirmed.StderrLines));
        Assert.Equal(before, Files());

        var deleted = CliRunner.Run("delete", "gone", "--state-dir", State, "--yes");
        Assert.True(deleted.ExitCode == 0, deleted.Stderr);
        // 2 methods × 2 LRs, one curve chunk each; one checkpoint per pack (packing none).
        Assert.Equal("deleted sweep gone: 4 cells, 4 curve chunks, 4 checkpoint files", Assert.Single(deleted.StdoutLines));
        Assert.DoesNotContain(Files(), f => f.Contains("gone", StringComparison.Ordinal));
        Assert.Empty(Directory.GetDirectories(State, "*gone*", SearchOption.AllDirectories));
        Assert.Equal(before.Where(f => !f.Contains("gone", StringComparison.Ordinal) && !f.EndsWith(".log", StringComparison.Ordinal)),
            Files().Where(f => !f.EndsWith(".log", StringComparison.Ordinal)));
        var list = CliRunner.Run("status", "--state-dir", State, "--json");
        Assert.DoesNotContain("\"gone\"", list.Stdout);
        Assert.Contains("\"stays\"", list.Stdout);
        Assert.Contains("\"epochsDone\": 8", list.Stdout);   // stays: 4 cells × 2 epochs, from its coordinator
        Assert.Equal(staysExport, CliRunner.Run("export", "stays", "--format", "csv", "--state-dir", State).Stdout);

        var again = CliRunner.Run("delete", "gone", "--state-dir", State, "--yes");
        Assert.Equal(2, again.ExitCode);
        Assert.Equal("gradguess: no sweep named 'gone'", Assert.Single(again.StderrLines));

        var changed = CliRunner.Run("local", LocalSpecs.Write(_dir, "gone", epochs: 3), "--state-dir", State, "--metrics-port", "0");
        Assert.True(changed.ExitCode == 0, changed.Stderr);
        Assert.DoesNotContain("resuming", changed.Stderr);
        Assert.Contains("12/12 cell-epochs", CliRunner.Run("status", "gone", "--state-dir", State).Stdout);   // 4 cells × 3 epochs
    }

    /// <summary>A delete whose registry update failed after the ledger was cleared left the sweep listed, and delete of
    /// that name said "no sweep" without telling the registry, so `status` listed the deleted sweep for good.</summary>
    [Fact]
    public void Delete_OfASweepTheRegistryListsButNoLedgerHolds_SaysSo_AndTheListHeals()
    {
        var run = CliRunner.Run("local", LocalSpecs.Write(_dir, "half", epochs: 1), "--state-dir", State, "--metrics-port", "0");
        Assert.True(run.ExitCode == 0, run.Stderr);
        File.Delete(Path.Combine(State, "state", "gg-sweep", "half.sweep.state"));   // as the delete had left it
        Assert.Contains("\"half\"", CliRunner.Run("status", "--state-dir", State, "--json").Stdout);

        var deleted = CliRunner.Run("delete", "half", "--state-dir", State, "--yes");
        Assert.Equal(2, deleted.ExitCode);
        Assert.Equal("gradguess: no sweep named 'half'", Assert.Single(deleted.StderrLines));
        Assert.DoesNotContain("\"half\"", CliRunner.Run("status", "--state-dir", State, "--json").Stdout);
    }

    [Fact]
    public void Delete_IsRefusedWhileLocalHoldsTheDirectory_AndThenDeletesTheInterruptedSweep()
    {
        var spec = LocalSpecs.Write(_dir, "paused", epochs: 5000, checkpointEvery: 5);
        using var local = new LocalProcess("local", spec, "--state-dir", State, "--metrics-port", "0");
        var checkpoints = Path.Combine(State, "checkpoints", "paused");
        for (var until = DateTime.UtcNow.AddSeconds(120); !(Directory.Exists(checkpoints) && Directory.GetFiles(checkpoints).Length > 0);)
        {
            Assert.True(DateTime.UtcNow < until, "local wrote no checkpoint: " + local.Stderr);
            Thread.Sleep(200);
        }

        var refused = CliRunner.Run("delete", "paused", "--state-dir", State, "--yes");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is in use by another gradguess local or silo", refused.Stderr);

        local.Signal("TERM");
        local.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.Contains("running", CliRunner.Run("status", "--state-dir", State).Stdout);   // interrupted: paused, not cancelled
        var deleted = CliRunner.Run("delete", "paused", "--state-dir", State, "--yes");
        Assert.True(deleted.ExitCode == 0, deleted.Stderr);
        Assert.StartsWith("deleted sweep paused: 4 cells,", Assert.Single(deleted.StdoutLines));
        Assert.DoesNotContain(Files(), f => f.Contains("paused", StringComparison.Ordinal));
    }

    [Fact]
    public void Delete_OfASweepWithADamagedFile_RemovesItsFilesOneByOne_AndLeavesTheOtherSweep()
    {
        foreach (var name in new[] { "hurt-ledger", "hurt-chunk", "fine" })
        {
            var run = CliRunner.Run("local", LocalSpecs.Write(_dir, name, epochs: 2), "--state-dir", State, "--metrics-port", "0");
            Assert.True(run.ExitCode == 0, run.Stderr);
        }
        var fineFiles = Files().Where(f => f.Contains("fine", StringComparison.Ordinal)).ToArray();
        File.WriteAllText(Path.Combine(State, "state", "gg-sweep", "hurt-ledger.sweep.state"), "damaged");
        File.WriteAllText(Directory.GetFiles(Path.Combine(State, "state", "gg-curve", "hurt-chunk"), "*.state", SearchOption.AllDirectories)[0], "damaged");

        foreach (var name in new[] { "hurt-ledger", "hurt-chunk" })
        {
            var deleted = CliRunner.Run("delete", name, "--state-dir", State, "--yes");
            Assert.True(deleted.ExitCode == 0, deleted.Stderr);
            Assert.Matches($"^deleted sweep {name}: [1-9][0-9]* files$", Assert.Single(deleted.StdoutLines));
            Assert.Contains("removed the sweep's files one by one instead", deleted.Stderr);
            Assert.DoesNotContain(Files(), f => f.Contains(name, StringComparison.Ordinal));
        }
        Assert.Equal(fineFiles, Files().Where(f => f.Contains("fine", StringComparison.Ordinal)));
        var list = CliRunner.Run("status", "--state-dir", State, "--json");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.DoesNotContain("hurt-", list.Stdout);
        Assert.Contains("\"fine\"", list.Stdout);
    }

    /// <summary>Every file under the state directory but its lock, relative to it.</summary>
    private string[] Files() =>
        Directory.GetFiles(State, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(State, f))
            .Where(f => f != "lock").Order(StringComparer.Ordinal).ToArray();
}
